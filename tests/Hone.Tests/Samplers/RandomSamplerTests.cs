using Hone.Distributions;
using Hone.Samplers;
using Hone.Studies;

namespace Hone.Tests.Samplers;

public class RandomSamplerTests
{
    [Fact]
    public void DrawsCoverEveryValue_AndStayInside()
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(1) });
        var ints = new HashSet<int>();
        var stepped = new HashSet<double>();
        var logs = new List<double>();
        var cats = new HashSet<string>();
        study.Optimize(t =>
        {
            ints.Add(t.SuggestInt("i", -2, 2));
            stepped.Add(t.SuggestFloat("s", 0, 1, step: 0.25));
            logs.Add(t.SuggestFloat("l", 1e-4, 1, log: true));
            cats.Add(t.SuggestCategorical("c", ["a", "b", "c"]));
            var li = t.SuggestInt("li", 1, 1000, log: true);
            Assert.InRange(li, 1, 1000);
            return 0;
        }, new OptimizeOptions { Trials = 2000 });
        Assert.Equal([-2, -1, 0, 1, 2], ints.Order());
        Assert.Equal([0, 0.25, 0.5, 0.75, 1], stepped.Order());
        Assert.Equal(["a", "b", "c"], cats.Order());
        Assert.All(logs, x => Assert.InRange(x, 1e-4, 1));
        // Log-uniform: about a quarter of the draws in each decade of [1e-4, 1].
        Assert.InRange(logs.Count(x => x < 1e-3), 400, 600);
        Assert.InRange(logs.Count(x => x >= 0.1), 400, 600);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.999999999)]
    public void UnitInterval_MapsOntoEndPoints(double u)
    {
        var ints = new IntDistribution(1, 10);
        var x = DistributionSampling.FromUnit(ints, u);
        Assert.Equal(u < 0.5 ? 1 : 10, x);
        Assert.True(new FloatDistribution(1, 100, log: true).Contains(DistributionSampling.FromUnit(new FloatDistribution(1, 100, log: true), u)));
        Assert.True(new IntDistribution(1, 64, log: true).Contains(DistributionSampling.FromUnit(new IntDistribution(1, 64, log: true), u)));
    }
}
