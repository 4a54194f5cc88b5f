namespace Hone.Analysis;

/// <summary>The hypervolume of a study's Pareto front once a trial had completed (see <see cref="Hypervolume.History"/>).</summary>
/// <param name="TrialNumber">The complete trial's number.</param>
/// <param name="Hypervolume">The hypervolume of the complete feasible trials numbered up to <paramref name="TrialNumber"/>.</param>
public readonly record struct HypervolumeHistoryEntry(int TrialNumber, double Hypervolume);
