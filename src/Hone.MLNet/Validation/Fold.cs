namespace Hone.MLNet.Validation;

/// <summary>One train/validation split of the tuning rows; row ids index the original data.</summary>
/// <param name="Index">The fold's position in the sequence (the step it is reported at).</param>
/// <param name="Repeat">Which repetition it belongs to (0 unless repeated k-fold).</param>
/// <param name="TrainRows">Rows to fit on, ascending.</param>
/// <param name="ValidRows">Rows to score on, ascending; disjoint from <paramref name="TrainRows"/>.</param>
public sealed record Fold(int Index, int Repeat, IReadOnlyList<int> TrainRows, IReadOnlyList<int> ValidRows);
