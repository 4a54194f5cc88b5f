namespace Hone.MLNet.Selection;

/// <summary>One configuration of the race: its tuning score and its scores on the fresh folds.</summary>
/// <param name="TrialNumber">The study trial.</param>
/// <param name="Trainer">Its trainer.</param>
/// <param name="Rank">Its rank by the tuning score (1 = the study's best trial).</param>
/// <param name="TunedValue">Its mean score on the tuning folds (what selected it).</param>
/// <param name="FoldScores">Its scores on the fresh folds, repeat after repeat (fewer when eliminated or failed).</param>
/// <param name="Mean">The mean of <paramref name="FoldScores"/> (NaN when there is none).</param>
/// <param name="Status">How it left the race.</param>
/// <param name="EliminatedAfterRepeat">The repeat after which it was dropped (Eliminated only).</param>
/// <param name="FailReason">Why a fit failed (Failed only).</param>
public sealed record ReevaluatedCandidate(
    int TrialNumber, string Trainer, int Rank, double TunedValue, IReadOnlyList<double> FoldScores, double Mean, ReevaluationStatus Status,
    int? EliminatedAfterRepeat = null, string? FailReason = null);
