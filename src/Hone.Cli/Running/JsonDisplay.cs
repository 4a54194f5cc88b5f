using Hone.Cli.Output;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Running;

/// <summary>One JSON object per line: an event per finished trial and a summary at the end (for programs).</summary>
internal sealed class JsonDisplay(TextWriter output, TextWriter error) : RunDisplay
{
    private readonly Lock _gate = new();

    public override void TrialFinished(RunState state, FrozenTrial trial, TrialOutcome outcome)
    {
        var record = new Dictionary<string, object?>
        {
            ["event"] = "trial",
            ["number"] = trial.Number,
            ["state"] = trial.State.ToString().ToUpperInvariant(),
            ["values"] = trial.Values,
            ["params"] = trial.Params,
            ["duration"] = trial.Duration?.TotalSeconds,
            ["fail_reason"] = outcome.Reason,
            ["log_file"] = trial.UserAttrs.GetValueOrDefault("log_file"),
        };
        Write(output, Json.Serialize(record));
    }

    public override void Note(string text) => Write(error, "hone: " + Messages.Clean(text));

    public override void Finished(RunState state, Study study, int exitCode)
    {
        var record = new Dictionary<string, object?>
        {
            ["event"] = "finished",
            ["study"] = study.Name,
            ["exit_code"] = exitCode,
            ["complete"] = state.Complete,
            ["pruned"] = state.Pruned,
            ["failed"] = state.Failed,
            ["elapsed"] = state.Elapsed.TotalSeconds,
        };
        if (!study.IsMultiObjective && study.GetTrials(TrialState.Complete).Count > 0)
        {
            record["best"] = new Dictionary<string, object?> { ["number"] = study.BestTrial.Number, ["value"] = study.BestValue, ["params"] = study.BestParams };
        }

        Write(output, Json.Serialize(record));
    }

    private void Write(TextWriter writer, string line)
    {
        lock (_gate)
        {
            writer.WriteLine(line);
        }
    }
}

/// <summary>Nothing but warnings and errors (--quiet).</summary>
internal sealed class QuietDisplay(TextWriter error) : RunDisplay
{
    public override void TrialFinished(RunState state, FrozenTrial trial, TrialOutcome outcome)
    {
    }

    public override void Note(string text)
    {
        lock (error)
        {
            error.WriteLine("hone: " + Messages.Clean(text));
        }
    }

    public override void Finished(RunState state, Study study, int exitCode)
    {
    }
}
