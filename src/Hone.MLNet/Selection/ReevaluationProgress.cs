namespace Hone.MLNet.Selection;

/// <summary>A report after each repeat of re-evaluation (<see cref="Tuning.TuneOptions.ReevaluationProgress"/>).</summary>
/// <param name="Repeat">The repeat just finished (1-based).</param>
/// <param name="Repeats">How many repeats are planned.</param>
/// <param name="Racing">How many configurations are still in the race after it.</param>
/// <param name="Candidates">How many configurations started.</param>
/// <param name="Eliminated">The trial numbers dropped after this repeat (significantly worse than the leader).</param>
/// <param name="LeaderTrialNumber">The trial with the best mean over the fresh folds so far.</param>
/// <param name="LeaderMean">Its mean over the fresh folds so far.</param>
/// <param name="Fits">Fits so far.</param>
/// <param name="Elapsed">Time since re-evaluation started.</param>
public readonly record struct ReevaluationProgress(
    int Repeat, int Repeats, int Racing, int Candidates, IReadOnlyList<int> Eliminated, int? LeaderTrialNumber, double? LeaderMean, int Fits, TimeSpan Elapsed);
