namespace Hone.Pruners;

/// <summary>
/// A pruner that can judge the trials of a study with several objectives, from the vectors they report with
/// <see cref="Trials.Trial.Report(IReadOnlyList{double}, int)"/>. Only such pruners (and <see cref="NopPruner"/>) are
/// accepted by a multi-objective study; the single-objective ones compare one number per step.
/// </summary>
public interface IMultiObjectivePruner : IPruner;
