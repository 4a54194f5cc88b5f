using Hone.MLNet.Metrics;
using Hone.MLNet.Statistics;
using Microsoft.ML;

namespace Hone.MLNet.Retuning;

/// <summary>
/// The first half of a re-tune (<see cref="Retuner.Check"/>): whether the new data's columns are distributed as the old
/// data's, whether the old best model scores worse on the new data, and so whether to re-tune.
/// </summary>
public sealed class RetuneCheck
{
    internal RetuneCheck()
    {
    }

    /// <summary>The study the model was tuned in.</summary>
    public required string OldStudyName { get; init; }

    /// <summary>The task the old study tuned.</summary>
    public required TuningTask Task { get; init; }

    /// <summary>The metric the old study tuned.</summary>
    public required TuningMetric Metric { get; init; }

    /// <summary>The label column.</summary>
    public required string LabelColumn { get; init; }

    /// <summary>The feature columns the old model reads (the old data's columns but the label and the ignored ones).</summary>
    public required IReadOnlyList<string> FeatureColumns { get; init; }

    /// <summary>The old best trial's number.</summary>
    public required int OldBestTrialNumber { get; init; }

    /// <summary>The old best trial's trainer.</summary>
    public required string OldBestTrainer { get; init; }

    /// <summary>Rows of the old data.</summary>
    public required int OldRows { get; init; }

    /// <summary>Rows of the new data.</summary>
    public required int NewRows { get; init; }

    /// <summary>The significance level of the shift tests.</summary>
    public required double Alpha { get; init; }

    /// <summary>One test per feature column, Holm-corrected together, most significant first.</summary>
    public required IReadOnlyList<ColumnShift> Shifts { get; init; }

    /// <summary>The old best model's score on the new data against its old cross-validated score.</summary>
    public required ScoreDrop Drop { get; init; }

    /// <summary>Whether re-tuning was asked for regardless of the findings (<see cref="RetuneOptions.Force"/>).</summary>
    public required bool Forced { get; init; }

    /// <summary>Whether any column has shifted.</summary>
    public bool Shifted => Shifts.Any(s => s.Shifted);

    /// <summary>Whether a shift or a significant drop was found: the data has moved in a way that matters.</summary>
    public bool Moved => Shifted || Drop.Significant;

    /// <summary>Whether to re-tune: the data moved, or it was forced.</summary>
    public bool ShouldRetune => Moved || Forced;

    /// <summary>Why (or why not) to re-tune, in one sentence.</summary>
    public string Decision
    {
        get
        {
            var moved = Shifts.Count(s => s.Shifted);
            var reasons = new List<string>();
            if (moved > 0)
            {
                reasons.Add($"{moved} of {Shifts.Count} columns have shifted");
            }

            if (Drop.Significant)
            {
                reasons.Add("the old model's score has dropped");
            }

            return reasons.Count > 0 ? "re-tune: " + string.Join(" and ", reasons)
                : Forced ? "re-tune (forced): no column has shifted and the score has not dropped"
                : "no re-tune: no column has shifted and the score has not dropped";
        }
    }

    internal TunedStudy Old { get; init; } = null!;

    internal Data.TabularData NewData { get; init; } = null!;

    /// <summary>The old and new rows as one table, read as one dataset (old rows first).</summary>
    internal Data.Dataset Stacked { get; init; } = null!;

    internal Tuning.MLNetTuner.FoldEvaluator StackedEvaluator { get; init; } = null!;

    /// <summary>The old best configuration refit on the old tuning rows (of <see cref="Stacked"/>).</summary>
    internal ITransformer OldModel { get; init; } = null!;

    internal MLContext MLContext { get; init; } = null!;
}
