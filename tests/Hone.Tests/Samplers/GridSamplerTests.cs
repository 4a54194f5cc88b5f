using Hone.Samplers;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Samplers;

public class GridSamplerTests
{
    private static Dictionary<string, IReadOnlyList<object?>> Grid(int xs, int ys) => new()
    {
        ["x"] = Enumerable.Range(0, xs).Select(i => (object?)i).ToList(),
        ["y"] = Enumerable.Range(0, ys).Select(i => (object?)(i / 10.0)).ToList(),
    };

    [Fact]
    public void VisitsEveryPointOnce_ThenStopsByItself()
    {
        var study = Study.Create(new StudyOptions { Sampler = new GridSampler(Grid(3, 4), seed: 1) });
        study.Optimize(t => t.SuggestInt("x", 0, 10) + t.SuggestFloat("y", 0, 1));
        Assert.Equal(12, study.Trials.Count);
        Assert.Equal(12, study.Trials.Select(t => (t.Params["x"], t.Params["y"])).Distinct().Count());
    }

    [Fact]
    public void ParallelWorkers_ExhaustThousandsOfPointsExactlyOnce()
    {
        var sampler = new GridSampler(Grid(50, 60), seed: 2);
        var study = Study.Create(new StudyOptions { Sampler = sampler });
        study.Optimize(t => t.SuggestInt("x", 0, 100) + t.SuggestFloat("y", 0, 10), new OptimizeOptions { Parallelism = 8, Trials = 10_000 });
        Assert.Equal(3000, study.Trials.Count);
        Assert.Equal(3000, study.Trials.Select(t => t.SystemAttrs[GridSampler.GridIdKey].GetInt64()).Distinct().Count());
        Assert.Equal(3000, study.Trials.Select(t => (t.Params["x"], t.Params["y"])).Distinct().Count());
        Assert.All(study.Trials, t => Assert.Equal(TrialState.Complete, t.State));
    }

    [Fact]
    public async Task AsyncParallelWorkers_ExhaustTheGridExactlyOnce()
    {
        var study = Study.Create(new StudyOptions { Sampler = new GridSampler(Grid(20, 20)) });
        await study.OptimizeAsync(async (t, ct) =>
        {
            await Task.Yield();
            return t.SuggestInt("x", 0, 100) + t.SuggestFloat("y", 0, 10);
        }, new OptimizeOptions { Parallelism = 8 });
        Assert.Equal(400, study.Trials.Count);
        Assert.Equal(400, study.Trials.Select(t => (t.Params["x"], t.Params["y"])).Distinct().Count());
    }

    [Fact]
    public void ResumedStudy_SkipsPointsAlreadyTried()
    {
        var storage = new Hone.Storage.InMemoryStorage();
        var first = Study.Create(new StudyOptions { Name = "g", Storage = storage, Sampler = new GridSampler(Grid(4, 5)) });
        first.Optimize(t => t.SuggestInt("x", 0, 10) + t.SuggestFloat("y", 0, 1), new OptimizeOptions { Trials = 7 });
        var second = Study.Load(new StudyOptions { Name = "g", Storage = storage, Sampler = new GridSampler(Grid(4, 5)) });
        second.Optimize(t => t.SuggestInt("x", 0, 10) + t.SuggestFloat("y", 0, 1));
        Assert.Equal(20, second.Trials.Count);
        Assert.Equal(20, second.Trials.Select(t => (t.Params["x"], t.Params["y"])).Distinct().Count());
    }

    [Fact]
    public void SameSeed_SameOrder()
    {
        IEnumerable<object?> Order(long seed)
        {
            var study = Study.Create(new StudyOptions { Sampler = new GridSampler(Grid(5, 5), seed) });
            study.Optimize(t => t.SuggestInt("x", 0, 10) + t.SuggestFloat("y", 0, 1));
            return study.Trials.Select(t => t.Params["x"]);
        }

        Assert.Equal(Order(3), Order(3));
    }

    [Fact]
    public void ParameterOutsideTheGrid_FailsTheTrialWithAClearReason_AndStopsTheRun()
    {
        var study = Study.Create(new StudyOptions { Sampler = new GridSampler(Grid(2, 2)) });
        var e = Assert.Throws<SamplerException>(() => study.Optimize(t => t.SuggestFloat("z", 0, 1)));
        Assert.Contains("not in the grid", e.Message);
        var trial = Assert.Single(study.Trials);
        Assert.Equal(TrialState.Fail, trial.State);
        Assert.Contains("not in the grid", trial.SystemAttrs["fail_reason"].GetString());
    }

    [Fact]
    public void BadGrid_IsRejected()
    {
        Assert.Contains("at least one parameter", Assert.Throws<ArgumentException>(() => new GridSampler(new Dictionary<string, IReadOnlyList<object?>>())).Message);
        var e = Assert.Throws<ArgumentException>(() => new GridSampler(new Dictionary<string, IReadOnlyList<object?>> { ["a"] = [] }));
        Assert.Contains("\"a\"", e.Message);
        Assert.Contains("empty", e.Message);
        Assert.Contains("distinct", Assert.Throws<ArgumentException>(() => new GridSampler(new Dictionary<string, IReadOnlyList<object?>> { ["a"] = [1, 1] })).Message);
    }
}
