using Hone.Trials;

namespace Hone.MLNet.Tuning;

/// <summary>A report after each trial of a tuning run.</summary>
/// <param name="TrialNumber">The trial's number.</param>
/// <param name="TrialsPlanned">How many trials the run plans.</param>
/// <param name="State">Complete, Pruned or Fail.</param>
/// <param name="Trainer">The trainer the trial used.</param>
/// <param name="Value">The mean fold score (complete trials).</param>
/// <param name="FoldsRun">How many folds were scored before the trial ended.</param>
/// <param name="BestValue">The best mean fold score so far.</param>
/// <param name="Elapsed">Time since tuning started.</param>
/// <param name="FailReason">Why the trial failed (exception type and message), for Fail trials.</param>
/// <param name="CpuSeconds">The CPU seconds the trial used (see <see cref="Resources.TrialResources"/>).</param>
public readonly record struct TuneProgress(
    int TrialNumber, int TrialsPlanned, TrialState State, string Trainer, double? Value, int FoldsRun, double? BestValue, TimeSpan Elapsed,
    string? FailReason = null, double? CpuSeconds = null);
