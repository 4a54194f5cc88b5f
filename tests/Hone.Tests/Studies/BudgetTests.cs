using Hone.Samplers;
using Hone.Storage;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Studies;

/// <summary><see cref="OptimizeOptions.Trials"/> (this many more) against <see cref="OptimizeOptions.TotalTrials"/> (a target over the study).</summary>
public class BudgetTests
{
    private static double Objective(Trial t) => t.SuggestFloat("x", -1, 1);

    private static Study Open(IStorage storage, string name = "budget") =>
        Study.Create(new StudyOptions { Name = name, Storage = storage, LoadIfExists = true, Sampler = new RandomSampler(1) });

    private static int Count(Study study, TrialState state) => study.GetTrials(state).Count;

    [Fact]
    public void Trials_OnAResumedStudy_RunsThatManyMore()
    {
        var storage = new InMemoryStorage();
        Open(storage).Optimize(Objective, new OptimizeOptions { Trials = 5 });
        var resumed = Open(storage);
        resumed.Optimize(Objective, new OptimizeOptions { Trials = 5 });
        Assert.Equal(10, resumed.Trials.Count);
    }

    [Fact]
    public void TotalTrials_OnAResumedStudy_TopsUpToTheTarget_AndThenRunsNothing()
    {
        var storage = new InMemoryStorage();
        Open(storage).Optimize(Objective, new OptimizeOptions { Trials = 4 });
        var resumed = Open(storage);
        resumed.Optimize(Objective, new OptimizeOptions { TotalTrials = 10 });
        Assert.Equal(10, resumed.Trials.Count);

        var again = Open(storage);
        var calls = 0;
        again.Optimize(t => { calls++; return Objective(t); }, new OptimizeOptions { TotalTrials = 10 });
        Assert.Equal(0, calls);
        Assert.Equal(10, again.Trials.Count);
    }

    [Fact]
    public void TotalTrials_FailedTrialsDoNotCount_SoARerunRunsTheMissingOnes()
    {
        var storage = new InMemoryStorage();
        var first = Open(storage);
        first.Optimize(t => t.Number < 3 ? throw new InvalidOperationException("typo in the command") : Objective(t),
            new OptimizeOptions { TotalTrials = 5 });
        Assert.Equal(5, first.Trials.Count); // failures use up this run's allowance: it does not retry by itself
        Assert.Equal(3, Count(first, TrialState.Fail));
        Assert.Equal(2, Count(first, TrialState.Complete));

        var rerun = Open(storage);
        rerun.Optimize(Objective, new OptimizeOptions { TotalTrials = 5 });
        Assert.Equal(5, Count(rerun, TrialState.Complete));
        Assert.Equal(3, Count(rerun, TrialState.Fail));
    }

    [Fact]
    public void TotalTrials_AnObjectiveThatAlwaysFails_StopsAfterTheRunsAllowance()
    {
        var study = Open(new InMemoryStorage());
        study.Optimize(double (_) => throw new InvalidOperationException("always"), new OptimizeOptions { TotalTrials = 4, Parallelism = 2 });
        Assert.Equal(4, Count(study, TrialState.Fail));
        Assert.Equal(4, study.Trials.Count);
    }

    [Fact]
    public void TotalTrials_PrunedTrialsCount()
    {
        var storage = new InMemoryStorage();
        Open(storage).Optimize(double (t) =>
        {
            t.Report(1, 0);
            throw new TrialPrunedException();
        }, new OptimizeOptions { Trials = 3 });
        var resumed = Open(storage);
        resumed.Optimize(Objective, new OptimizeOptions { TotalTrials = 5 });
        Assert.Equal(3, Count(resumed, TrialState.Pruned));
        Assert.Equal(2, Count(resumed, TrialState.Complete));
    }

    [Fact]
    public void TotalTrials_WaitingTrialsDoNotCount_UntilTheyStart()
    {
        var study = Open(new InMemoryStorage());
        for (var i = 0; i < 3; i++)
        {
            study.Enqueue(new Dictionary<string, object?> { ["x"] = i / 10.0 });
        }

        study.Optimize(Objective, new OptimizeOptions { TotalTrials = 2 });
        Assert.Equal(2, Count(study, TrialState.Complete));
        Assert.Equal(1, Count(study, TrialState.Waiting));
        Assert.Equal([0.0, 0.1], study.GetTrials(TrialState.Complete).Select(t => (double)t.Params["x"]!));
    }

    [Fact]
    public void TotalTrials_CountsTrialsRunningElsewhere()
    {
        var storage = new InMemoryStorage();
        var other = Open(storage);
        var running = other.Ask();
        running.SuggestFloat("x", -1, 1);
        var study = Open(storage);
        study.Optimize(Objective, new OptimizeOptions { TotalTrials = 3 });
        Assert.Equal(2, Count(study, TrialState.Complete));
        Assert.Equal(1, Count(study, TrialState.Running));
    }

    [Theory]
    [InlineData(3, 10, 3)]
    [InlineData(100, 10, 10)]
    public void TrialsAndTotalTrials_StopAtWhicheverComesFirst(int trials, int total, int expected)
    {
        var study = Open(new InMemoryStorage());
        study.Optimize(Objective, new OptimizeOptions { Trials = trials, TotalTrials = total });
        Assert.Equal(expected, study.Trials.Count);
    }

    [Fact]
    public void TotalTrials_WithParallelism_ReachesExactlyTheTarget()
    {
        var storage = new InMemoryStorage();
        Open(storage).Optimize(Objective, new OptimizeOptions { Trials = 7 });
        var study = Open(storage);
        study.Optimize(t =>
        {
            Thread.Sleep(1);
            return Objective(t);
        }, new OptimizeOptions { TotalTrials = 60, Parallelism = 8 });
        Assert.Equal(60, study.Trials.Count);
    }

    [Fact]
    public async Task TotalTrials_AsyncWithParallelism_ReachesExactlyTheTarget()
    {
        var study = Open(new InMemoryStorage());
        await study.OptimizeAsync(async (t, ct) =>
        {
            await Task.Yield();
            return Objective(t);
        }, new OptimizeOptions { TotalTrials = 40, Parallelism = 6 });
        Assert.Equal(40, study.Trials.Count);
    }

    [Fact]
    public void TotalTrials_TwoStudyObjectsOnOneStorage_StopTogetherAtTheTarget()
    {
        var storage = new InMemoryStorage();
        var a = Open(storage);
        var b = Open(storage);
        var options = new OptimizeOptions { TotalTrials = 30, Parallelism = 2 };
        Parallel.Invoke(
            () => a.Optimize(t => { Thread.Sleep(1); return Objective(t); }, options),
            () => b.Optimize(t => { Thread.Sleep(1); return Objective(t); }, options));
        var n = Open(storage).Trials.Count;

        // Each start counts the study first; four workers counting at the same instant may overshoot by three.
        Assert.InRange(n, 30, 33);
        Assert.True(a.Trials.Count(t => t.State == TrialState.Complete) == n);

        var c = Open(storage);
        c.Optimize(Objective, options);
        Assert.Equal(n, c.Trials.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void TotalTrials_NotPositive_IsRefusedWithTheOptionsName(int total)
    {
        var study = Open(new InMemoryStorage());
        var e = Assert.Throws<ArgumentException>(() => study.Optimize(Objective, new OptimizeOptions { TotalTrials = total }));
        Assert.Contains($"TotalTrials must be at least 1", e.Message, StringComparison.Ordinal);
        Assert.Contains($"got {total}", e.Message, StringComparison.Ordinal);
        Assert.Empty(study.Trials);
    }
}
