using Hone.Studies;

namespace Hone.MLNet.Retuning;

/// <summary>
/// Has the model got worse on the new data? The old study's best configuration, refit on the old tuning rows (the
/// model <c>hone tune</c> saved), is scored on every new row and compared with the old study's cross-validated mean.
/// </summary>
/// <remarks>
/// The rule: the drop is significant when the whole 95% percentile-bootstrap interval (Efron and Tibshirani 1993, "An
/// Introduction to the Bootstrap", ch. 13) of the new-data score (new rows
/// resampled) is worse than the old cross-validated mean by more than <see cref="MaxDrop"/>; for a metric to maximize,
/// <c>NewCiHigh &lt; ReferenceMean − MaxDrop</c>. The old mean is the best of many trials on the same folds, so it is
/// slightly optimistic; the tolerance absorbs that bias as well as a loss too small to be worth a re-tune.
/// <see cref="OldTestValue"/> (the same model on the old held-out rows) is the unbiased reference, shown for context.
/// </remarks>
/// <param name="Direction">The metric's direction.</param>
/// <param name="ReferenceMean">The old best trial's cross-validated mean on the old data.</param>
/// <param name="ReferenceCiLow">The lower end of the 95% bootstrap interval of that mean (folds resampled).</param>
/// <param name="ReferenceCiHigh">The upper end.</param>
/// <param name="OldTestValue">The refit model's score on the old test rows (null when the old study had no test set).</param>
/// <param name="NewValue">The refit model's score on every new row.</param>
/// <param name="NewCiLow">The lower end of its 95% bootstrap interval (new rows resampled).</param>
/// <param name="NewCiHigh">The upper end.</param>
/// <param name="NewRows">How many new rows were scored.</param>
/// <param name="MaxDrop">The tolerance (<see cref="RetuneOptions.MaxDrop"/>).</param>
public sealed record ScoreDrop(
    StudyDirection Direction, double ReferenceMean, double ReferenceCiLow, double ReferenceCiHigh, double? OldTestValue,
    double NewValue, double NewCiLow, double NewCiHigh, int NewRows, double MaxDrop)
{
    /// <summary>How much worse the new-data score is than the old cross-validated mean (negative: better).</summary>
    public double Drop => Direction == StudyDirection.Maximize ? ReferenceMean - NewValue : NewValue - ReferenceMean;

    /// <summary>Whether the whole interval of the new-data score is worse than the old mean by more than <see cref="MaxDrop"/>.</summary>
    public bool Significant => Direction == StudyDirection.Maximize
        ? NewCiHigh < ReferenceMean - MaxDrop
        : NewCiLow > ReferenceMean + MaxDrop;
}
