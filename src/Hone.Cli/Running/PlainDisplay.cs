using System.Globalization;
using Hone.Cli.Output;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Running;

/// <summary>One line per finished trial (for logs and pipes); failures show the end of the program's stderr.</summary>
internal sealed class PlainDisplay(TextWriter output, TextWriter error) : RunDisplay
{
    private readonly Lock _gate = new();

    public override void Started(RunState state)
    {
        var plan = state.Planned is { } p ? $"{p} trial(s) to run" : "trials until the timeout or Ctrl+C";
        var before = $"{state.AlreadyDone - state.PrunedBefore} complete"
            + (state.PrunedBefore > 0 ? $", {state.PrunedBefore} pruned" : string.Empty)
            + (state.RunningBefore > 0 ? $", {state.RunningBefore} running elsewhere" : string.Empty)
            + (state.FailedBefore > 0 ? $", {state.FailedBefore} failed (not counted)" : string.Empty);
        Write(output, $"hone: study \"{state.StudyName}\" in {state.Storage}: {before}, {plan}, {state.Jobs} at a time");
    }

    public override void TrialFinished(RunState state, FrozenTrial trial, TrialOutcome outcome)
    {
        var duration = trial.Duration is { } d ? TrialRunner.Duration(d) : "-";
        var what = trial.State switch
        {
            TrialState.Complete => $"complete  value={Values(trial)}",
            TrialState.Pruned => $"pruned    at step {trial.IntermediateValues.Keys.DefaultIfEmpty(0).Max()}",
            _ => $"fail      {outcome.Reason}",
        };
        var best = state.Best is { } b ? $"  best={Values(b)} (#{b.Number})" : string.Empty;
        lock (_gate)
        {
            // Numbered here, under the lock that orders the lines, so that [2/30] never comes before [1/30]:
            // two trials finishing at once would otherwise both read the run's count before either printed.
            var shown = state.NextShown();
            var total = state.Planned is { } p ? $"{shown}/{p}" : shown.ToString(CultureInfo.InvariantCulture);
            output.WriteLine($"[{total}] trial {trial.Number} {what}  params={Formatting.Params(trial.Params)}  ({duration}){best}");
            if (trial.State == TrialState.Fail && outcome.StderrTail.Count > 0 && !outcome.Interrupted)
            {
                output.WriteLine($"  last lines of stderr (log: {trial.UserAttrs.GetValueOrDefault("log_file")}):");
                foreach (var line in outcome.StderrTail.TakeLast(5))
                {
                    output.WriteLine("  | " + line);
                }
            }
        }
    }

    public override void Note(string text) => Write(error, "hone: " + Messages.Clean(text));

    public override void Finished(RunState state, Study study, int exitCode)
    {
        var summary = $"hone: {state.Finished} trial(s) in {TrialRunner.Duration(state.Elapsed)}: {state.Complete} complete, {state.Pruned} pruned, {state.Failed} failed";
        if (exitCode == ExitCodes.Interrupted)
        {
            summary += "; interrupted (run the same command again to resume)";
        }

        Write(output, summary);
        if (!study.IsMultiObjective && study.GetTrials(TrialState.Complete).Count > 0)
        {
            var best = study.BestTrial;
            Write(output, $"hone: best trial {best.Number}: value={Values(best)} params={Formatting.Params(best.Params)}");
        }
        else if (study.IsMultiObjective)
        {
            Write(output, $"hone: {study.BestTrials.Count} trial(s) on the Pareto front: {string.Join(", ", study.BestTrials.Select(t => t.Number))}");
        }
    }

    private static string Values(FrozenTrial t) => t.Values is { } v ? string.Join(",", v.Select(Formatting.Number)) : "-";

    private void Write(TextWriter writer, string line)
    {
        lock (_gate)
        {
            writer.WriteLine(line);
        }
    }
}
