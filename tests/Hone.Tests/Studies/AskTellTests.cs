using Hone.Distributions;
using Hone.Samplers;
using Hone.Storage;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Studies;

public class AskTellTests
{
    [Fact]
    public void AskThenTell_CompletesTheTrial()
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(1) });
        var trial = study.Ask();
        var x = trial.SuggestFloat("x", 0, 1);
        var frozen = study.Tell(trial, x * 2);
        Assert.Equal(TrialState.Complete, frozen.State);
        Assert.Equal(x * 2, frozen.Value);
        Assert.Equal(x, study.BestParams["x"]);
        Assert.NotNull(frozen.DatetimeComplete);
    }

    [Fact]
    public void AskWithFixedDistributions_SuggestsThemAtOnce()
    {
        var study = Study.Create();
        var trial = study.Ask(new Dictionary<string, Distribution>
        {
            ["lr"] = new FloatDistribution(1e-4, 1, log: true),
            ["booster"] = new CategoricalDistribution(["gbdt", "dart"]),
        });
        Assert.InRange((double)trial.Params["lr"]!, 1e-4, 1);
        Assert.Contains(trial.Params["booster"], new object[] { "gbdt", "dart" });
    }

    [Fact]
    public void TellingAFinishedTrial_IsAClearError()
    {
        var study = Study.Create();
        var trial = study.Ask();
        study.Tell(trial, 1.0);
        var e = Assert.Throws<TrialFinishedException>(() => study.Tell(trial, 2.0));
        Assert.Contains("Trial #0 is already finished (Complete)", e.Message);
        Assert.Throws<TrialFinishedException>(() => study.Tell(0, 2.0));
        Assert.Throws<TrialFinishedException>(() => trial.SuggestFloat("late", 0, 1));
    }

    [Fact]
    public void TellingATrialFromElsewhere_IsAClearError()
    {
        var study = Study.Create();
        var other = Study.Create().Ask();
        Assert.Contains("was not asked from this Study object", Assert.Throws<ArgumentException>(() => study.Tell(other, 1.0)).Message);
        Assert.Throws<ArgumentException>(() => study.Tell(new FixedTrial(new Dictionary<string, object?>()), 1.0));
    }

    [Fact]
    public void TellByNumber_AndStates()
    {
        var study = Study.Create();
        var a = study.Ask();
        var b = study.Ask();
        var c = study.Ask();
        b.Report(0.5, 3);
        study.Tell(a.Number, 1.0);
        Assert.Equal(TrialState.Pruned, study.Tell(b, TrialState.Pruned).State);
        Assert.Equal(0.5, study.Trials[1].Value);
        Assert.Equal(TrialState.Fail, study.Tell(c, TrialState.Fail).State);
        Assert.Throws<ArgumentOutOfRangeException>(() => study.Tell(99, 1.0));
        Assert.Throws<ArgumentException>(() => study.Tell(study.Ask(), TrialState.Complete));
    }

    [Fact]
    public void TellNaN_IsFail()
    {
        var study = Study.Create();
        Assert.Equal(TrialState.Fail, study.Tell(study.Ask(), double.NaN).State);
    }

    [Fact]
    public void Enqueue_NextTrialTakesExactlyThoseParams_AndSamplesTheRest()
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(2) });
        Assert.True(study.Enqueue(new Dictionary<string, object?> { ["x"] = 0.125, ["n"] = 7, ["c"] = "b" }));
        Assert.Equal(TrialState.Waiting, study.Trials[0].State);
        study.Optimize(t =>
        {
            var x = t.SuggestFloat("x", 0, 1);
            var n = t.SuggestInt("n", 0, 10);
            var c = t.SuggestCategorical("c", ["a", "b"]);
            var extra = t.SuggestFloat("extra", 0, 1);
            return x + n + extra + c.Length;
        }, new OptimizeOptions { Trials = 3 });
        var first = study.Trials[0];
        Assert.Equal(3, study.Trials.Count);
        Assert.Equal(0.125, first.Params["x"]);
        Assert.Equal(7, first.Params["n"]);
        Assert.Equal("b", first.Params["c"]);
        Assert.True(first.Params.ContainsKey("extra"));
    }

    [Fact]
    public void Enqueue_SkipIfExists()
    {
        var study = Study.Create();
        var p = new Dictionary<string, object?> { ["x"] = 0.5 };
        Assert.True(study.Enqueue(p));
        Assert.False(study.Enqueue(p, skipIfExists: true));
        study.Optimize(t => t.SuggestFloat("x", 0, 1), new OptimizeOptions { Trials = 1 });
        Assert.False(study.Enqueue(p, skipIfExists: true));
        Assert.True(study.Enqueue(new Dictionary<string, object?> { ["x"] = 0.25 }, skipIfExists: true));
    }

    [Fact]
    public void Enqueue_ValueOutsideTheDistribution_FailsTheTrialWithAReason()
    {
        var study = Study.Create();
        study.Enqueue(new Dictionary<string, object?> { ["x"] = 5.0 });
        study.Optimize(t => t.SuggestFloat("x", 0, 1), new OptimizeOptions { Trials = 1 });
        Assert.Equal(TrialState.Fail, study.Trials[0].State);
        Assert.Contains("\"x\" is outside", study.Trials[0].SystemAttrs["fail_reason"].GetString());
    }

    [Fact]
    public void EnqueuedTrials_AreTakenOnceEachByParallelWorkers()
    {
        var study = Study.Create();
        for (var i = 0; i < 200; i++)
        {
            study.Enqueue(new Dictionary<string, object?> { ["i"] = i });
        }

        study.Optimize(t => t.SuggestInt("i", 0, 1000), new OptimizeOptions { Trials = 200, Parallelism = 8 });
        Assert.Equal(Enumerable.Range(0, 200), study.Trials.Select(t => (int)t.Params["i"]!).Order());
    }

    [Fact]
    public void AddTrial_WarmStarts()
    {
        var study = Study.Create();
        var known = FrozenTrial.Create(
            new Dictionary<string, object?> { ["x"] = 0.3, ["c"] = "b" },
            new Dictionary<string, Distribution> { ["x"] = new FloatDistribution(0, 1), ["c"] = new CategoricalDistribution(["a", "b"]) },
            [0.09]);
        var added = study.AddTrial(known);
        Assert.Equal(0, added.Number);
        Assert.Equal(0.09, study.BestValue);
        Assert.Equal("b", study.BestParams["c"]);
        Assert.Equal(1.0, study.BestTrial.InternalParams["c"]);
        Assert.Throws<ArgumentException>(() => study.AddTrial(known with { State = TrialState.Running }));
        Assert.Throws<ArgumentException>(() => study.AddTrial(known with { Values = [1, 2] }));
    }

    [Fact]
    public void Attributes_OnStudyAndTrial()
    {
        var study = Study.Create();
        study.SetUserAttr("dataset", "iris");
        var trial = study.Ask();
        trial.SetUserAttr("fold_scores", new[] { 0.9, 0.8 });
        study.Tell(trial, 1);
        Assert.Equal("iris", study.UserAttrs["dataset"].GetString());
        Assert.Equal(0.8, study.Trials[0].UserAttrs["fold_scores"][1].GetDouble());
        Assert.Throws<ArgumentException>(() => study.Ask().SetUserAttr("bad", new IntPtr(1)));
    }

    [Fact]
    public void CreateLoadDelete()
    {
        var storage = new InMemoryStorage();
        var study = Study.Create(new StudyOptions { Name = "s", Storage = storage, Direction = StudyDirection.Maximize });
        study.Optimize(t => t.SuggestFloat("x", 0, 1), new OptimizeOptions { Trials = 3 });
        Assert.Throws<DuplicateStudyException>(() => Study.Create(new StudyOptions { Name = "s", Storage = storage }));
        var again = Study.Create(new StudyOptions { Name = "s", Storage = storage, LoadIfExists = true });
        Assert.Equal(3, again.Trials.Count);
        Assert.Equal(StudyDirection.Maximize, again.Direction);
        var loaded = Study.Load(new StudyOptions { Name = "s", Storage = storage });
        Assert.Equal(study.BestValue, loaded.BestValue);
        Study.Delete("s", storage);
        Assert.Throws<StudyNotFoundException>(() => Study.Load(new StudyOptions { Name = "s", Storage = storage }));
        Assert.Throws<StudyNotFoundException>(() => Study.Delete("s", storage));
    }

    [Fact]
    public void DirectionAndDirections_Conflict_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Study.Create(new StudyOptions
        {
            Direction = StudyDirection.Maximize,
            Directions = [StudyDirection.Minimize, StudyDirection.Minimize],
        }));
        Assert.Contains("set only one", e.Message);
    }

    [Fact]
    public void BestTrial_WithoutCompletedTrials_IsAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Study.Create().BestTrial);
        Assert.Contains("no completed trial", e.Message);
    }

    [Fact]
    public void FixedTrial_RunsAnObjectiveWithGivenParams()
    {
        static double Objective(Trial t) => t.SuggestFloat("x", -5, 5) * t.SuggestInt("k", 1, 3) + (t.SuggestCategorical("neg", [false, true]) ? -1 : 0);

        Assert.Equal(-1.0 + 6.0, Objective(new FixedTrial(new Dictionary<string, object?> { ["x"] = 2.0, ["k"] = 3, ["neg"] = true })));
        var missing = Assert.Throws<ArgumentException>(() => Objective(new FixedTrial(new Dictionary<string, object?> { ["x"] = 2.0 })));
        Assert.Contains("no value for parameter \"k\"", missing.Message);
        var outside = Assert.Throws<ArgumentException>(() => Objective(new FixedTrial(new Dictionary<string, object?> { ["x"] = 9.0, ["k"] = 1, ["neg"] = false })));
        Assert.Contains("outside", outside.Message);
    }
}

public class SamplerFailureTests
{
    private sealed class BrokenBeforeTrial : ISampler
    {
        public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial) => new Dictionary<string, Distribution>();

        public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace) =>
            new Dictionary<string, double>();

        public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution) => 0;

        public void BeforeTrial(Study study, FrozenTrial trial) => throw new InvalidOperationException("sampler broke");
    }

    [Fact]
    public void SamplerFailingBeforeTheTrial_StopsTheRun_AndLeavesNothingRunning()
    {
        var study = Study.Create(new StudyOptions { Sampler = new BrokenBeforeTrial() });
        var e = Assert.Throws<InvalidOperationException>(() => study.Optimize(_ => 1, new OptimizeOptions { Trials = 3 }));
        Assert.Equal("sampler broke", e.Message);
        var trial = Assert.Single(study.Trials);
        Assert.Equal(TrialState.Fail, trial.State);
        Assert.Contains("sampler broke", trial.SystemAttrs["fail_reason"].GetString());
    }
}
