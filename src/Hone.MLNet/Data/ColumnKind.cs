namespace Hone.MLNet.Data;

/// <summary>What a feature column holds, which decides how a pipeline turns it into features.</summary>
public enum ColumnKind
{
    /// <summary>Numbers (missing values allowed): used as they are, after missing-value replacement and normalization.</summary>
    Numeric,

    /// <summary>A few distinct values (text or codes): one-hot or one-hot-hash encoded.</summary>
    Categorical,

    /// <summary>Free text (long strings, many distinct values): word and character n-grams (ML.NET's FeaturizeText).</summary>
    Text,
}
