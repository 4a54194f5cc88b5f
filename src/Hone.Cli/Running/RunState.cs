using System.Diagnostics;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Running;

/// <summary>Counters of an optimize run, read by the displays (thread-safe).</summary>
internal sealed class RunState(string studyName, string storage, int? planned, int alreadyDone, int jobs, bool maximize)
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly Lock _gate = new();
    private readonly Dictionary<int, long> _running = [];
    private int _shown;

    public string StudyName { get; } = studyName;

    public string Storage { get; } = storage;

    /// <summary>Trials this run will start at most (null: until timeout or Ctrl+C).</summary>
    public int? Planned { get; } = planned;

    /// <summary>Complete and Pruned trials the study had before this run (what counts toward <c>trials</c>).</summary>
    public int AlreadyDone { get; } = alreadyDone;

    /// <summary>Of <see cref="AlreadyDone"/>, the pruned ones.</summary>
    public int PrunedBefore { get; init; }

    /// <summary>Trials running (in other processes) when this run started; they count toward <c>trials</c>.</summary>
    public int RunningBefore { get; init; }

    /// <summary>Failed trials the study had before this run; they do not count toward <c>trials</c>.</summary>
    public int FailedBefore { get; init; }

    public int Jobs { get; } = jobs;

    public int Complete { get; private set; }

    public int Pruned { get; private set; }

    public int Failed { get; private set; }

    public int Finished => Complete + Pruned + Failed;

    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _running.Count;
            }
        }
    }

    public FrozenTrial? Best { get; private set; }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    /// <summary>Estimated time left: the mean trial rate so far applied to the trials left.</summary>
    public TimeSpan? Remaining => Planned is { } p && Finished > 0
        ? TimeSpan.FromTicks((long)(Elapsed.Ticks / (double)Finished * Math.Max(0, p - Finished)))
        : null;

    public void Start(int number)
    {
        lock (_gate)
        {
            _running[number] = Stopwatch.GetTimestamp();
        }
    }

    public void Finish(FrozenTrial trial)
    {
        lock (_gate)
        {
            _running.Remove(trial.Number);
            switch (trial.State)
            {
                case TrialState.Complete:
                    Complete++;
                    if (trial.Values is { Count: 1 } v && (Best is null || (maximize ? v[0] > Best.Values![0] : v[0] < Best.Values![0])))
                    {
                        Best = trial;
                    }

                    break;
                case TrialState.Pruned:
                    Pruned++;
                    break;
                default:
                    Failed++;
                    break;
            }
        }
    }

    /// <summary>
    /// The number of the next finished trial a display shows (1, 2, ...). A display takes it while it holds the lock
    /// that orders its output, so the numbers are printed in order whatever order the trials finished in.
    /// </summary>
    public int NextShown() => Interlocked.Increment(ref _shown);

    /// <summary>Seeds the best trial from earlier runs.</summary>
    public void SeedBest(Study study)
    {
        if (!study.IsMultiObjective && study.GetTrials(TrialState.Complete).Count > 0)
        {
            Best = study.BestTrial;
        }
    }
}
