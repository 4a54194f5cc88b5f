using Hone.Trials;

namespace Hone.Cli.Running;

/// <summary>How a trial's program ended, before it is told to the study.</summary>
/// <param name="State">Complete, Pruned or Fail.</param>
/// <param name="Values">The metric values of a complete trial.</param>
/// <param name="Reason">Why the trial failed.</param>
/// <param name="StderrTail">The last lines the program wrote to stderr.</param>
/// <param name="Interrupted">The run was interrupted (Ctrl+C) while the trial ran.</param>
/// <param name="ExitCode">The program's exit code, when it ran.</param>
internal sealed record TrialOutcome(
    TrialState State, double[]? Values, string? Reason, IReadOnlyList<string> StderrTail, bool Interrupted, int? ExitCode);
