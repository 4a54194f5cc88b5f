using System.Globalization;
using Hone.MLNet.Selection;
using Hone.MLNet.Tuning;
using Hone.Trials;

namespace Hone.Cli.Commands;

/// <summary>The progress lines of hone tune and hone retune: one per finished trial, numbered as printed (so a resumed study's run counts from 1 too), and one per re-evaluation repeat.</summary>
internal sealed class TuneProgressLines(TextWriter output) : IProgress<TuneProgress>, IProgress<ReevaluationProgress>
{
    private int _shown;

    public void Report(TuneProgress p)
    {
        var value = p.Value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
        var best = p.BestValue is { } b ? b.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
        var state = p.State == TrialState.Pruned ? $"pruned after {p.FoldsRun} fold(s)" : p.State.ToString().ToLowerInvariant();
        lock (output)
        {
            _shown++;
            output.WriteLine(FormattableString.Invariant(
                $"[{_shown}/{p.TrialsPlanned}] trial {p.TrialNumber} {p.Trainer} {state} {value}  best {best}  ({p.Elapsed.TotalSeconds:0.0}s{(p.CpuSeconds is { } cpu ? $", trial {cpu:0.0}s CPU" : string.Empty)}){(p.FailReason is { } r ? "  " + Output.Messages.Clean(r) : string.Empty)}"));
        }
    }

    public void Report(ReevaluationProgress p)
    {
        var leader = p.LeaderTrialNumber is { } t ? FormattableString.Invariant($"leader trial {t} {p.LeaderMean:0.0000}") : "no leader (every fit failed)";
        var dropped = p.Eliminated.Count == 0 ? string.Empty : $", dropped trial(s) {string.Join(", ", p.Eliminated)}";
        lock (output)
        {
            output.WriteLine(FormattableString.Invariant(
                $"[re-evaluation {p.Repeat}/{p.Repeats}] {p.Racing} of {p.Candidates} configuration(s) racing on fresh folds, {leader}{dropped}  ({p.Fits} fits, {p.Elapsed.TotalSeconds:0.0}s)"));
        }
    }
}
