using Hone.MLNet.Statistics;
using Hone.MLNet.Tuning;

namespace Hone.MLNet.Retuning;

/// <summary>
/// The old best configuration against the new study's best on the new data, with the statistics <c>hone tune</c> reports:
/// both scored on the same cross-validation folds of the new tuning rows (paired), and both refit on the new tuning rows
/// and scored on the new test rows (95% bootstrap intervals). The old model as deployed (fit on the old data) is scored
/// on the new test rows too: that is what re-tuning replaces.
/// </summary>
/// <param name="OldTrialNumber">The old best trial's number (in the old study).</param>
/// <param name="OldTrainer">The old best trial's trainer.</param>
/// <param name="NewTrialNumber">The new best trial's number (in the new study).</param>
/// <param name="NewTrainer">The new best trial's trainer.</param>
/// <param name="Old">The old configuration on the new folds.</param>
/// <param name="New">The new configuration on the same folds.</param>
/// <param name="Comparison">New − old, fold by fold (<see cref="PairedComparison.TunedBetterFolds"/>: folds where the new one is better).</param>
/// <param name="OldTest">The old configuration refit on the new tuning rows, on the new test rows (null without a test set).</param>
/// <param name="NewTest">The new configuration refit on the new tuning rows, on the new test rows (null without a test set).</param>
/// <param name="DeployedTest">The old model as fit on the old data, on the new test rows (null without a test set).</param>
public sealed record RetuneComparison(
    int OldTrialNumber, string OldTrainer, int NewTrialNumber, string NewTrainer, ScoreSummary Old, ScoreSummary New,
    PairedComparison Comparison, TestScore? OldTest, TestScore? NewTest, TestScore? DeployedTest);
