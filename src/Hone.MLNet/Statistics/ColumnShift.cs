namespace Hone.MLNet.Statistics;

/// <summary>One column's test of whether its distribution differs between reference data and new data.</summary>
/// <param name="Column">The column.</param>
/// <param name="Test">"ks" (two-sample Kolmogorov–Smirnov, for numeric columns with many values) or "chi2" (chi-squared test of homogeneity, for categories and numeric columns with few values).</param>
/// <param name="Statistic">The test statistic: D for KS, χ² for chi2.</param>
/// <param name="PValue">The test's p-value.</param>
/// <param name="AdjustedPValue">The p-value after Holm's correction over all the columns tested together.</param>
/// <param name="Shifted">Whether <paramref name="AdjustedPValue"/> is below the significance level.</param>
/// <param name="ReferenceCount">Non-missing values in the reference data (chi2 counts missing as a category).</param>
/// <param name="CurrentCount">Non-missing values in the new data.</param>
public sealed record ColumnShift(string Column, string Test, double Statistic, double PValue, double AdjustedPValue, bool Shifted, int ReferenceCount, int CurrentCount);
