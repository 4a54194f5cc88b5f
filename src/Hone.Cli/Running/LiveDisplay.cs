using System.Globalization;
using Hone.Cli.Output;
using Hone.Studies;
using Hone.Trials;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Hone.Cli.Running;

/// <summary>
/// The terminal view: trials done/total, running, best value and parameters, elapsed and remaining time, and
/// the latest trials, redrawn in place by Spectre.Console.
/// </summary>
/// <remarks>
/// On Ctrl+C (<paramref name="interrupt"/>) the view is erased at once, before anything else is printed, and the
/// rest of the run (the interrupted trials, the summary) is printed as plain lines: a view redrawn while other
/// output is written to the terminal leaves half-erased boxes behind.
/// </remarks>
internal sealed class LiveDisplay(IAnsiConsole console, PlainDisplay summary, CancellationToken interrupt) : RunDisplay
{
    private const int RecentCount = 8;
    private readonly Lock _gate = new();
    private readonly List<string> _recent = [];
    private readonly CancellationTokenSource _stop = new();
    private RunState? _state;
    private Task? _loop;
    private CancellationTokenRegistration _onInterrupt;
    private volatile bool _plain;

    public override void Started(RunState state)
    {
        _state = state;
        summary.Started(state);
        if (interrupt.IsCancellationRequested)
        {
            _plain = true;
            return;
        }

        _loop = console.Live(Render()).AutoClear(true).StartAsync(async ctx =>
        {
            while (!_stop.IsCancellationRequested)
            {
                ctx.UpdateTarget(Render());
                try
                {
                    await Task.Delay(250, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        _onInterrupt = interrupt.Register(() =>
        {
            StopLoop();
            _plain = true;
        });
    }

    public override void TrialFinished(RunState state, FrozenTrial trial, TrialOutcome outcome)
    {
        if (GoPlain())
        {
            summary.TrialFinished(state, trial, outcome);
            return;
        }

        var text = trial.State switch
        {
            TrialState.Complete => $"[green]#{trial.Number} complete[/] {Markup.Escape(string.Join(",", trial.Values!.Select(Formatting.Number)))}",
            TrialState.Pruned => $"[yellow]#{trial.Number} pruned[/]",
            _ => $"[red]#{trial.Number} fail[/] {Markup.Escape(outcome.Reason ?? string.Empty)}"
                + (outcome.StderrTail.Count > 0 && !outcome.Interrupted ? $" [grey]{Markup.Escape(outcome.StderrTail[^1])}[/]" : string.Empty),
        };
        lock (_gate)
        {
            state.NextShown();
            _recent.Add(text + $" [grey]{Markup.Escape(Formatting.Params(trial.Params))}[/]");
            if (_recent.Count > RecentCount)
            {
                _recent.RemoveAt(0);
            }
        }
    }

    public override void Note(string text)
    {
        if (GoPlain())
        {
            summary.Note(text);
            return;
        }

        lock (_gate)
        {
            _recent.Add($"[grey]{Markup.Escape(Messages.Clean(text))}[/]");
            if (_recent.Count > RecentCount)
            {
                _recent.RemoveAt(0);
            }
        }
    }

    public override void Finished(RunState state, Study study, int exitCode)
    {
        StopLoop();
        summary.Finished(state, study, exitCode);
    }

    public override void Dispose()
    {
        _onInterrupt.Dispose();
        StopLoop();
        _stop.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// After Ctrl+C, erases the view (waiting until it is erased, whoever started erasing it) and says to print plain
    /// lines. The trials stopped by Ctrl+C can finish before this display's own cancellation callback has run.
    /// </summary>
    private bool GoPlain()
    {
        if (!_plain && interrupt.IsCancellationRequested)
        {
            StopLoop();
            _plain = true;
        }

        return _plain;
    }

    /// <summary>Stops the redraw loop and waits until the view is erased; safe to call more than once and from several threads.</summary>
    private void StopLoop()
    {
        var loop = _loop;
        if (loop is null)
        {
            return;
        }

        _stop.Cancel();
        try
        {
            loop.GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
        }
    }

    private IRenderable Render()
    {
        var s = _state!;
        var done = s.Planned is { } p ? $"{s.Finished}/{p}" : s.Finished.ToString(CultureInfo.InvariantCulture);
        var remaining = s.Remaining is { } r ? TrialRunner.Duration(r) : "?";
        var best = s.Best is { } b
            ? $"{Markup.Escape(string.Join(",", b.Values!.Select(Formatting.Number)))} (#{b.Number}) {Markup.Escape(Formatting.Params(b.Params))}"
            : "-";
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]study[/]", Markup.Escape(s.StudyName));
        grid.AddRow("[bold]trials[/]", $"{done} done ({s.Complete} complete, {s.Pruned} pruned, {s.Failed} failed), {s.Running} running");
        grid.AddRow("[bold]best[/]", best);
        grid.AddRow("[bold]time[/]", $"{TrialRunner.Duration(s.Elapsed)} elapsed, ~{remaining} remaining");
        string[] recent;
        lock (_gate)
        {
            recent = [.. _recent];
        }

        var rows = new List<IRenderable> { grid };
        rows.AddRange(recent.Select(line => new Markup(line)));
        return new Panel(new Rows(rows)).Header("hone optimize").Expand();
    }
}
