using System.Globalization;
using Hone.MLNet.Data;
using Hone.Trials;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Text;

namespace Hone.MLNet.Pipelines;

/// <summary>
/// The preprocessing half of a pipeline: how the raw columns become the "Features" vector a trainer reads. Each choice
/// is a study parameter named "prep.*", asked only when it matters for the data and the trainer (define-by-run):
/// missing-value replacement only when a numeric column has missing values, normalization only for linear trainers,
/// categorical encoding only with categorical columns, text featurization only with text columns, and feature selection.
/// </summary>
internal sealed class PreprocessingSpace
{
    public const string Missing = "prep.missing";
    public const string MissingIndicator = "prep.missing_indicator";
    public const string Normalize = "prep.normalize";
    public const string Encoding = "prep.encoding";
    public const string HashBits = "prep.hash_bits";
    public const string WordNgram = "prep.word_ngram";
    public const string CharNgram = "prep.char_ngram";
    public const string TextWeighting = "prep.text_weighting";
    public const string Selection = "prep.feature_selection";
    public const string TopK = "prep.selected_features";
    public const string MinCount = "prep.min_count";

    private const string NumericBlock = "hone.numeric";
    private const string MissingBlock = "hone.missing";

    private static readonly string[] MissingChoices = ["mean", "min", "max", "zero"];
    private static readonly bool[] IndicatorChoices = [false, true];
    private static readonly string[] NormalizeChoices = ["min_max", "mean_variance", "log_mean_variance", "binning", "none"];
    private static readonly string[] EncodingChoices = ["one_hot", "one_hot_hash"];
    private static readonly string[] WeightingChoices = ["tf", "tf_idf"];

    private readonly string[] _numeric;
    private readonly string[] _categorical;
    private readonly string[] _text;
    private readonly bool _hasMissing;
    private readonly string[] _selectionChoices;
    private readonly int _maxSelected;

    public PreprocessingSpace(IReadOnlyList<FeatureColumn> columns)
    {
        _numeric = columns.Where(c => c.Kind == ColumnKind.Numeric).Select(c => c.Name).ToArray();
        _categorical = columns.Where(c => c.Kind == ColumnKind.Categorical).Select(c => c.Name).ToArray();
        _text = columns.Where(c => c.Kind == ColumnKind.Text).Select(c => c.Name).ToArray();
        _hasMissing = columns.Any(c => c.Kind == ColumnKind.Numeric && c.Missing > 0);

        // Mutual information bins a numeric label as it bins the features, so it serves regression too; counting non-zero values only helps sparse (one-hot, n-gram) features.
        var estimate = _numeric.Length + columns.Where(c => c.Kind == ColumnKind.Categorical).Sum(c => c.Distinct + 1) + (200 * _text.Length);
        _maxSelected = Math.Min(1000, estimate);
        var choices = new List<string> { "none" };
        if (_maxSelected >= 3)
        {
            choices.Add("mutual_info");
        }

        if (_categorical.Length + _text.Length > 0)
        {
            choices.Add("count");
        }

        _selectionChoices = [.. choices];
    }

    /// <summary>
    /// Whether <paramref name="value"/> is a possible value of choice <paramref name="name"/> on this data (the feature
    /// selection choices depend on the columns); a choice this data never asks for is harmless and fits.
    /// </summary>
    internal bool Fits(string name, object? value) => name switch
    {
        Selection => value is string s && _selectionChoices.Contains(s),
        TopK => value is IConvertible c && c.ToDouble(System.Globalization.CultureInfo.InvariantCulture) is var k && k >= 2 && k <= _maxSelected && k == Math.Floor(k),
        _ => true,
    };

    /// <summary>Asks the trial for each choice that matters here; returns them by parameter name.</summary>
    public IReadOnlyDictionary<string, object?> Suggest(Trial trial, bool linear)
    {
        var v = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (_hasMissing)
        {
            v[Missing] = trial.SuggestCategorical(Missing, MissingChoices);
            v[MissingIndicator] = trial.SuggestCategorical(MissingIndicator, IndicatorChoices);
        }

        if (linear && _numeric.Length > 0)
        {
            v[Normalize] = trial.SuggestCategorical(Normalize, NormalizeChoices);
        }

        if (_categorical.Length > 0)
        {
            var encoding = trial.SuggestCategorical(Encoding, EncodingChoices);
            v[Encoding] = encoding;
            if (encoding == "one_hot_hash")
            {
                v[HashBits] = trial.SuggestInt(HashBits, 2, 12);
            }
        }

        if (_text.Length > 0)
        {
            v[WordNgram] = trial.SuggestInt(WordNgram, 1, 3);
            v[CharNgram] = trial.SuggestInt(CharNgram, 0, 5);
            v[TextWeighting] = trial.SuggestCategorical(TextWeighting, WeightingChoices);
        }

        if (_selectionChoices.Length > 1)
        {
            var selection = trial.SuggestCategorical(Selection, _selectionChoices);
            v[Selection] = selection;
            if (selection == "mutual_info")
            {
                v[TopK] = trial.SuggestInt(TopK, 2, _maxSelected, log: true);
            }
            else if (selection == "count")
            {
                v[MinCount] = trial.SuggestInt(MinCount, 1, 20, log: true);
            }
        }

        return v;
    }

    /// <summary>
    /// The fixed featurization (no choice tuned): missing numbers replaced by the mean, min–max normalization for linear
    /// trainers, one-hot encoding, ML.NET's text defaults (word unigrams and character trigrams, TF), no feature selection.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Defaults(bool linear)
    {
        var v = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (_hasMissing)
        {
            v[Missing] = "mean";
            v[MissingIndicator] = false;
        }

        if (linear && _numeric.Length > 0)
        {
            v[Normalize] = "min_max";
        }

        if (_categorical.Length > 0)
        {
            v[Encoding] = "one_hot";
        }

        if (_text.Length > 0)
        {
            v[WordNgram] = 1;
            v[CharNgram] = 3;
            v[TextWeighting] = "tf";
        }

        if (_selectionChoices.Length > 1)
        {
            v[Selection] = "none";
        }

        return v;
    }

    /// <summary>The choices of a finished trial (its "prep.*" parameters), completed by the defaults for any it lacks.</summary>
    public IReadOnlyDictionary<string, object?> FromTrialParams(IReadOnlyDictionary<string, object?> trialParams, bool linear)
    {
        var v = new Dictionary<string, object?>(Defaults(linear), StringComparer.Ordinal);
        foreach (var (name, value) in trialParams)
        {
            if (name.StartsWith("prep.", StringComparison.Ordinal))
            {
                v[name] = value;
            }
        }

        return v;
    }

    /// <summary>
    /// How many bins the mutual-information estimate uses for each feature and for a numeric label: the power of two
    /// nearest the cube root of the row count, from 4 to 256. A histogram estimate needs far fewer bins than rows:
    /// with ML.NET's default of 256 on a few hundred rows of continuous values nearly every row has a bin of its own,
    /// every feature then seems to tell the label apart, and which are kept is close to chance (refit on 192 rows of
    /// y = 3·x0 − 2·x1 + noise, it kept x0 and the unrelated x2; with 8 bins, x0 and x1).
    /// </summary>
    internal static int MutualInformationBins(int rows) =>
        Math.Clamp((int)Math.Pow(2, Math.Round(Math.Log2(Math.Cbrt(Math.Max(rows, 1))))), 4, 256);

    /// <summary>The estimators that turn the raw columns into "Features" with these choices, for a fit on <paramref name="rows"/> rows.</summary>
    public IEstimator<ITransformer> Build(MLContext ml, IReadOnlyDictionary<string, object?> choices, int rows)
    {
        var steps = new List<IEstimator<ITransformer>>();
        var parts = new List<string>();
        string Text(string name, string fallback) => choices.TryGetValue(name, out var x) && x is not null ? Convert.ToString(x, CultureInfo.InvariantCulture)! : fallback;
        int Int(string name, int fallback) => choices.TryGetValue(name, out var x) && x is not null ? Convert.ToInt32(x, CultureInfo.InvariantCulture) : fallback;
        if (_numeric.Length > 0)
        {
            steps.Add(ml.Transforms.Concatenate(NumericBlock, _numeric));
            if (_hasMissing)
            {
                if (choices.TryGetValue(MissingIndicator, out var indicator) && indicator is true)
                {
                    steps.Add(ml.Transforms.IndicateMissingValues(MissingBlock, NumericBlock));
                    steps.Add(ml.Transforms.Conversion.ConvertType(MissingBlock, outputKind: DataKind.Single));
                    parts.Add(MissingBlock);
                }

                var mode = Text(Missing, "mean") switch
                {
                    "min" => MissingValueReplacingEstimator.ReplacementMode.Minimum,
                    "max" => MissingValueReplacingEstimator.ReplacementMode.Maximum,
                    "zero" => MissingValueReplacingEstimator.ReplacementMode.DefaultValue,
                    _ => MissingValueReplacingEstimator.ReplacementMode.Mean,
                };
                steps.Add(ml.Transforms.ReplaceMissingValues(NumericBlock, replacementMode: mode));
            }

            switch (Text(Normalize, "none"))
            {
                case "min_max":
                    steps.Add(ml.Transforms.NormalizeMinMax(NumericBlock));
                    break;
                case "mean_variance":
                    steps.Add(ml.Transforms.NormalizeMeanVariance(NumericBlock));
                    break;
                case "log_mean_variance":
                    steps.Add(ml.Transforms.NormalizeLogMeanVariance(NumericBlock));
                    break;
                case "binning":
                    steps.Add(ml.Transforms.NormalizeBinning(NumericBlock));
                    break;
            }

            parts.Insert(0, NumericBlock);
        }

        if (_categorical.Length > 0)
        {
            var pairs = _categorical.Select(c => new InputOutputColumnPair("hone.categorical." + c, c)).ToArray();
            steps.Add(Text(Encoding, "one_hot") == "one_hot_hash"
                ? ml.Transforms.Categorical.OneHotHashEncoding(pairs, numberOfBits: Int(HashBits, 8))
                : ml.Transforms.Categorical.OneHotEncoding(pairs));
            parts.AddRange(pairs.Select(p => p.OutputColumnName));
        }

        if (_text.Length > 0)
        {
            var weighting = Text(TextWeighting, "tf") == "tf_idf" ? NgramExtractingEstimator.WeightingCriteria.TfIdf : NgramExtractingEstimator.WeightingCriteria.Tf;
            var chars = Int(CharNgram, 3);
            foreach (var column in _text)
            {
                var options = new TextFeaturizingEstimator.Options
                {
                    WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = Int(WordNgram, 1), Weighting = weighting },
                    CharFeatureExtractor = chars == 0 ? null : new WordBagEstimator.Options { NgramLength = chars, Weighting = weighting },
                };
                steps.Add(ml.Transforms.Text.FeaturizeText("hone.text." + column, options, column));
                parts.Add("hone.text." + column);
            }
        }

        steps.Add(ml.Transforms.Concatenate("Features", [.. parts]));
        switch (Text(Selection, "none"))
        {
            case "mutual_info":
                steps.Add(ml.Transforms.FeatureSelection.SelectFeaturesBasedOnMutualInformation("Features", slotsInOutput: Int(TopK, _maxSelected), numberOfBins: MutualInformationBins(rows)));
                break;
            case "count":
                steps.Add(ml.Transforms.FeatureSelection.SelectFeaturesBasedOnCount("Features", count: Int(MinCount, 1)));
                break;
        }

        IEstimator<ITransformer> chain = steps[0];
        foreach (var step in steps.Skip(1))
        {
            chain = chain.Append(step);
        }

        return chain;
    }
}
