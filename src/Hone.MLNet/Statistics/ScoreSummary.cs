namespace Hone.MLNet.Statistics;

/// <summary>Scores of one configuration on the validation folds.</summary>
/// <param name="FoldScores">One score per fold, in fold order.</param>
/// <param name="Mean">The mean over folds.</param>
/// <param name="StandardDeviation">The sample standard deviation over folds (n − 1).</param>
/// <param name="CiLow">The lower end of the 95% percentile-bootstrap interval of the mean.</param>
/// <param name="CiHigh">The upper end of that interval.</param>
public sealed record ScoreSummary(IReadOnlyList<double> FoldScores, double Mean, double StandardDeviation, double CiLow, double CiHigh)
{
    /// <summary>Summarizes fold scores.</summary>
    public static ScoreSummary Of(IReadOnlyList<double> foldScores, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(foldScores);
        var mean = foldScores.Average();
        var sd = foldScores.Count > 1 ? Math.Sqrt(foldScores.Sum(v => (v - mean) * (v - mean)) / (foldScores.Count - 1)) : 0;
        var (low, high) = Bootstrap.MeanInterval(foldScores, 0.95, Bootstrap.DefaultResamples, seed);
        return new ScoreSummary(foldScores.ToArray(), mean, sd, low, high);
    }
}

/// <summary>The tuned configuration versus the trainer's default on the same folds.</summary>
/// <param name="MeanDifference">Mean of (tuned − default) fold scores; positive means the tuned scores are larger.</param>
/// <param name="TunedBetterFolds">On how many folds the tuned configuration scored better (in the metric's direction).</param>
/// <param name="Wilcoxon">The Wilcoxon signed-rank test.</param>
/// <param name="PairedT">The paired t-test.</param>
public sealed record PairedComparison(double MeanDifference, int TunedBetterFolds, TestResult Wilcoxon, TestResult PairedT);
