using Hone.Samplers;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Studies;

public class OptimizeTests
{
    private static double Quadratic(Trial t)
    {
        var x = t.SuggestFloat("x", -10, 10);
        var y = t.SuggestInt("y", -5, 5);
        return (x * x) + (y * y);
    }

    [Fact]
    public void Optimize_RunsTheBudget_AndFindsTheBest()
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(1) });
        study.Optimize(Quadratic, new OptimizeOptions { Trials = 50 });
        Assert.Equal(50, study.Trials.Count);
        Assert.All(study.Trials, t => Assert.Equal(TrialState.Complete, t.State));
        Assert.Equal(study.Trials.Min(t => t.Value), study.BestValue);
        Assert.Equal(study.BestTrial.Params, study.BestParams);
        Assert.Equal(Enumerable.Range(0, 50), study.Trials.Select(t => t.Number));
    }

    [Fact]
    public void Maximize_PicksTheLargestValue()
    {
        var study = Study.Create(new StudyOptions { Direction = StudyDirection.Maximize, Sampler = new RandomSampler(2) });
        study.Optimize(Quadratic, new OptimizeOptions { Trials = 20 });
        Assert.Equal(study.Trials.Max(t => t.Value), study.BestValue);
    }

    [Fact]
    public void SameSeed_SameStudy()
    {
        IEnumerable<string> Run(long seed)
        {
            var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(seed) });
            study.Optimize(Quadratic, new OptimizeOptions { Trials = 30 });
            return study.Trials.Select(t => t.ToString());
        }

        Assert.Equal(Run(7), Run(7));
        Assert.NotEqual(Run(7), Run(8));
    }

    [Fact]
    public void Parallel_TrialKDrawsDependOnlyOnSeedAndK()
    {
        Dictionary<int, double> Run(int parallelism)
        {
            var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(3) });
            study.Optimize(Quadratic, new OptimizeOptions { Trials = 200, Parallelism = parallelism });
            return study.Trials.ToDictionary(t => t.Number, t => (double)t.Params["x"]!);
        }

        Assert.Equal(Run(1), Run(8));
    }

    [Fact]
    public void Parallel_ThousandsOfTrials_NoDuplicateNumbersNoLostUpdates()
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(4) });
        var calls = 0;
        study.Optimize(t =>
        {
            Interlocked.Increment(ref calls);
            t.Report(1, 0);
            t.SetUserAttr("worker", Environment.CurrentManagedThreadId);
            return Quadratic(t);
        }, new OptimizeOptions { Trials = 5000, Parallelism = 8 });
        var trials = study.Trials;
        Assert.Equal(5000, calls);
        Assert.Equal(5000, trials.Count);
        Assert.Equal(Enumerable.Range(0, 5000), trials.Select(t => t.Number).Order());
        Assert.All(trials, t =>
        {
            Assert.Equal(TrialState.Complete, t.State);
            Assert.Equal(2, t.Params.Count);
            Assert.Single(t.IntermediateValues);
            Assert.True(t.UserAttrs.ContainsKey("worker"));
        });
        Assert.True(trials.Select(t => t.UserAttrs["worker"].GetInt32()).Distinct().Count() > 1);
    }

    [Fact]
    public async Task OptimizeAsync_RunsConcurrently()
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(5) });
        var running = 0;
        var maxRunning = 0;
        await study.OptimizeAsync(async (t, ct) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            await Task.Delay(20, ct);
            Interlocked.Decrement(ref running);
            return Quadratic(t);
        }, new OptimizeOptions { Trials = 40, Parallelism = 4 });
        Assert.Equal(40, study.GetTrials(TrialState.Complete).Count);
        Assert.True(maxRunning > 1, $"at most {maxRunning} trial(s) ran at once");
        Assert.True(maxRunning <= 4);
    }

    [Fact]
    public void NaN_IsFail_WithReason_AndInfinityIsValid()
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(6) });
        var n = 0;
        study.Optimize(_ => n++ switch { 0 => double.NaN, 1 => double.PositiveInfinity, _ => double.NegativeInfinity },
            new OptimizeOptions { Trials = 3 });
        Assert.Equal(TrialState.Fail, study.Trials[0].State);
        Assert.Contains("NaN", study.Trials[0].SystemAttrs["fail_reason"].GetString());
        Assert.Equal(double.PositiveInfinity, study.Trials[1].Value);
        Assert.Equal(double.NegativeInfinity, study.BestValue);
    }

    [Fact]
    public void ThrowingObjective_IsFail_AndTheStudyGoesOnByDefault()
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(7) });
        study.Optimize(t => t.Number % 2 == 0 ? throw new InvalidDataException("bad batch") : 1.0, new OptimizeOptions { Trials = 6 });
        Assert.Equal(3, study.GetTrials(TrialState.Fail).Count);
        Assert.Equal(3, study.GetTrials(TrialState.Complete).Count);
        Assert.Equal("System.IO.InvalidDataException: bad batch", study.Trials[0].SystemAttrs["fail_reason"].GetString());
    }

    [Fact]
    public void ExceptionNotInCatch_IsRecordedAsFail_ThenStopsAndRethrows()
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(8) });
        var e = Assert.Throws<InvalidOperationException>(() => study.Optimize(
            t => t.Number == 2 ? throw new InvalidOperationException("boom") : t.Number == 1 ? throw new TimeoutException("slow") : 1.0,
            new OptimizeOptions { Trials = 10, Catch = [typeof(TimeoutException)] }));
        Assert.Equal("boom", e.Message);
        Assert.Equal(3, study.Trials.Count);
        Assert.Equal([TrialState.Complete, TrialState.Fail, TrialState.Fail], study.Trials.Select(t => t.State));
    }

    [Fact]
    public void WrongNumberOfValues_IsFail()
    {
        var study = Study.Create(new StudyOptions { Directions = [StudyDirection.Minimize, StudyDirection.Maximize] });
        study.Optimize(_ => new[] { 1.0 }, new OptimizeOptions { Trials = 1 });
        Assert.Equal(TrialState.Fail, study.Trials[0].State);
        Assert.Contains("1 value(s)", study.Trials[0].SystemAttrs["fail_reason"].GetString());
    }

    [Fact]
    public void PrunedException_MarksPruned_WithLastIntermediateValue()
    {
        var study = Study.Create();
        Func<Trial, double> objective = t =>
        {
            t.Report(5, 0);
            t.Report(3, 1);
            Assert.False(t.ShouldPrune());
            throw new TrialPrunedException();
        };
        study.Optimize(objective, new OptimizeOptions { Trials = 1 });
        Assert.Equal(TrialState.Pruned, study.Trials[0].State);
        Assert.Equal(3, study.Trials[0].Value);
    }

    [Fact]
    public void Timeout_StopsStartingTrials()
    {
        var study = Study.Create();
        study.Optimize(_ =>
        {
            Thread.Sleep(20);
            return 1;
        }, new OptimizeOptions { Timeout = TimeSpan.FromMilliseconds(200), Parallelism = 2 });
        Assert.InRange(study.Trials.Count, 2, 40);
        Assert.Empty(study.GetTrials(TrialState.Running));
    }

    [Fact]
    public void Cancellation_Sync_RunningTrialsFinish_NothingLeftRunning()
    {
        var study = Study.Create();
        using var cts = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => study.Optimize(t =>
        {
            if (t.Number == 5)
            {
                cts.Cancel();
            }

            Thread.Sleep(5);
            return 1;
        }, new OptimizeOptions { Parallelism = 3 }, cts.Token));
        Assert.Empty(study.GetTrials(TrialState.Running));
        Assert.Empty(study.GetTrials(TrialState.Fail));
        Assert.InRange(study.Trials.Count, 6, 9);
    }

    [Fact]
    public async Task Cancellation_Async_RunningTrialsAreFail_NothingLeftRunning()
    {
        var study = Study.Create();
        using var cts = new CancellationTokenSource();
        var started = 0;
        var task = study.OptimizeAsync(async (t, ct) =>
        {
            if (Interlocked.Increment(ref started) == 4)
            {
                cts.CancelAfter(50);
            }

            await Task.Delay(Timeout.Infinite, ct);
            return 1;
        }, new OptimizeOptions { Parallelism = 4 }, cts.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.Empty(study.GetTrials(TrialState.Running));
        Assert.Equal(4, study.GetTrials(TrialState.Fail).Count);
        Assert.All(study.Trials, t => Assert.Contains("cancelled", t.SystemAttrs["fail_reason"].GetString()));
    }

    [Fact]
    public void Callbacks_AndProgress_SeeEveryTrial_AndStopWorks()
    {
        var study = Study.Create();
        var seen = new List<int>();
        var progress = new List<OptimizeProgress>();
        study.Optimize(t => t.Number, new OptimizeOptions
        {
            Trials = 100,
            Callbacks = [(s, t) =>
            {
                seen.Add(t.Number);
                if (t.Number == 9)
                {
                    s.Stop();
                }
            }],
            Progress = new SyncProgress<OptimizeProgress>(progress.Add),
        });
        Assert.Equal(Enumerable.Range(0, 10), seen);
        Assert.Equal(10, progress.Count);
        Assert.Equal(10, progress[^1].TrialsFinished);
        Assert.Equal(0, progress[^1].BestValue);
    }

    [Fact]
    public void Callbacks_ReceiveTheTrialAsStored()
    {
        var study = Study.Create();
        var received = new List<FrozenTrial>();
        study.Optimize(t => t.SuggestFloat("x", 0, 1), new OptimizeOptions { Trials = 5, Callbacks = [(_, t) => received.Add(t)] });
        Assert.Equal(5, received.Count);
        Assert.All(received, t =>
        {
            Assert.Equal(TrialState.Complete, t.State);
            Assert.NotNull(t.DatetimeComplete);
            Assert.Equal(study.Trials[t.Number], t);
        });
    }

    [Fact]
    public void BadOptions_AreRejectedTogether()
    {
        var e = Assert.Throws<ArgumentException>(() => Study.Create().Optimize(_ => 0, new OptimizeOptions { Trials = -1, Parallelism = 0 }));
        Assert.Contains("Trials must be zero or more, got -1", e.Message);
        Assert.Contains("Parallelism must be at least 1, got 0", e.Message);
    }

    [Fact]
    public void ConditionalAndLoopedSpaces()
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(9) });
        study.Optimize(t =>
        {
            var kind = t.SuggestCategorical("kind", ["linear", "mlp"]);
            if (kind == "linear")
            {
                return t.SuggestFloat("alpha", 1e-4, 1, log: true);
            }

            var layers = t.SuggestInt("n_layers", 1, 3);
            var total = 0.0;
            for (var i = 0; i < layers; i++)
            {
                total += t.SuggestInt($"units_{i}", 4, 128, log: true);
            }

            return total;
        }, new OptimizeOptions { Trials = 60 });
        foreach (var t in study.Trials)
        {
            if ((string)t.Params["kind"]! == "linear")
            {
                Assert.Equal(["alpha", "kind"], t.Params.Keys.Order());
            }
            else
            {
                var layers = (int)t.Params["n_layers"]!;
                Assert.Equal(2 + layers, t.Params.Count);
                Assert.All(Enumerable.Range(0, layers), i => Assert.InRange((int)t.Params[$"units_{i}"]!, 4, 128));
            }
        }

        Assert.Contains(study.Trials, t => (string)t.Params["kind"]! == "linear");
        Assert.Contains(study.Trials, t => t.Params.ContainsKey("units_2"));
    }

    [Fact]
    public void MultiObjective_BestTrialsIsTheParetoSet()
    {
        var study = Study.Create(new StudyOptions { Directions = [StudyDirection.Minimize, StudyDirection.Maximize], Sampler = new RandomSampler(10) });
        study.Optimize(t =>
        {
            var x = t.SuggestFloat("x", 0, 1);
            return [x, x * x];
        }, new OptimizeOptions { Trials = 20 });
        Assert.Equal(20, study.BestTrials.Count);
        Assert.Throws<InvalidOperationException>(() => study.BestTrial);

        var dominated = Study.Create(new StudyOptions { Directions = [StudyDirection.Minimize, StudyDirection.Minimize] });
        var values = new[] { new[] { 1.0, 5.0 }, [2.0, 2.0], [3.0, 3.0], [5.0, 1.0], [1.0, 5.0] };
        foreach (var v in values)
        {
            dominated.Tell(dominated.Ask(), v);
        }

        Assert.Equal([0, 1, 3, 4], dominated.BestTrials.Select(t => t.Number));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private sealed class SyncProgress<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
