using Hone.Distributions;
using Hone.Population;

namespace Hone.Tests.Population;

public sealed class PbtExplorerTests
{
    private static readonly Distribution[] Spaces =
    [
        new FloatDistribution(0.001, 0.2, log: true),
        new FloatDistribution(-1, 1),
        new FloatDistribution(0, 1, step: 0.25),
        new IntDistribution(1, 10),
        new IntDistribution(2, 512, log: true),
        new IntDistribution(0, 9, step: 3),
        new CategoricalDistribution(["relu", "tanh", "gelu"]),
    ];

    [Fact]
    public void Explore_FromAnyValue_StaysInEveryDistribution()
    {
        var rng = new Random(42);
        var distributions = Spaces.Select((d, i) => (d, i)).ToDictionary(p => $"p{p.i}", p => p.d);
        var options = new PbtOptions { ResampleProbability = 0.25 };
        for (var round = 0; round < 2000; round++)
        {
            var values = distributions.ToDictionary(p => p.Key, p => Hone.Samplers.DistributionSampling.FromUnit(p.Value, rng.NextDouble()));
            var explored = PbtExplorer.Explore(values, distributions, options, rng);
            foreach (var (name, x) in explored)
            {
                Assert.True(distributions[name].Contains(x), $"{name} = {x} is outside {distributions[name]}");
            }
        }
    }

    [Fact]
    public void Perturb_ClipsAtTheBounds_RoundsToTheStep_IntegersMoveAtLeastOneStep()
    {
        var rng = new Random(1);
        Assert.Equal(0.2, PbtExplorer.Perturb(new FloatDistribution(0.001, 0.2, log: true), 0.2, 1.2, rng));
        Assert.Equal(0.001, PbtExplorer.Perturb(new FloatDistribution(0.001, 0.2, log: true), 0.001, 0.8, rng));
        Assert.Equal(0.1 * 1.2, PbtExplorer.Perturb(new FloatDistribution(0.001, 0.2, log: true), 0.1, 1.2, rng), 12);
        Assert.Equal(2, PbtExplorer.Perturb(new IntDistribution(1, 10), 1, 1.2, rng));
        Assert.Equal(1, PbtExplorer.Perturb(new IntDistribution(1, 10), 2, 0.8, rng));
        Assert.Equal(10, PbtExplorer.Perturb(new IntDistribution(1, 10), 10, 1.2, rng));
        Assert.Equal(9, PbtExplorer.Perturb(new IntDistribution(0, 9, step: 3), 9, 1.2, rng));
        Assert.Equal(1.0, PbtExplorer.Perturb(new FloatDistribution(0, 1, step: 0.25), 0.75, 1.2, rng));
        Assert.Equal(0.5, PbtExplorer.Perturb(new FloatDistribution(0, 1, step: 0.25), 0.75, 0.8, rng));
    }

    [Fact]
    public void Explore_OnlyTheNamedMutations_Change()
    {
        var rng = new Random(3);
        var distributions = new Dictionary<string, Distribution> { ["lr"] = new FloatDistribution(0.001, 1, log: true), ["layers"] = new IntDistribution(1, 8) };
        var values = new Dictionary<string, double> { ["lr"] = 0.1, ["layers"] = 4 };
        var options = new PbtOptions { Mutations = new HashSet<string> { "lr" }, ResampleProbability = 0 };
        for (var i = 0; i < 50; i++)
        {
            var explored = PbtExplorer.Explore(values, distributions, options, rng);
            Assert.Equal(4, explored["layers"]);
            Assert.NotEqual(0.1, explored["lr"]);
        }
    }
}
