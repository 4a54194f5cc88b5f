using Hone.Analysis;
using Hone.Samplers;
using Hone.Samplers.Nsga;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Samplers.Nsga;

public sealed class NsgaIIISamplerTests
{
    private static readonly StudyDirection[] ThreeMin = [StudyDirection.Minimize, StudyDirection.Minimize, StudyDirection.Minimize];

    [Fact]
    public void DasDennisPoints_LieOnTheSimplex_AndNumberAsTheFormulaSays()
    {
        var points = ReferencePoints.DasDennis(3, 12);
        Assert.Equal(91, points.Length);
        Assert.Equal(91, ReferencePoints.Count(3, 12));
        Assert.All(points, p => Assert.Equal(1, p.Sum(), 12));
        Assert.Equal(points.Length, points.Select(p => string.Join(",", p)).Distinct().Count());
        Assert.Equal(8, ReferencePoints.DivisionsFor(3, 50));
        Assert.Single(ReferencePoints.DasDennis(1, 5));
    }

    [Fact]
    public void Dtlz2_ThreeObjectives_ConvergesToTheSphere_AndSpreadsOverIt()
    {
        var study = Study.Create(new StudyOptions { Directions = ThreeMin, Sampler = new NsgaIIISampler(new NsgaIIISamplerOptions { Seed = 1, PopulationSize = 48 }) });
        study.Optimize(t => NsgaProblems.Dtlz2(t, 8), new OptimizeOptions { Trials = 960 });
        var random = Study.Create(new StudyOptions { Directions = ThreeMin, Sampler = new RandomSampler(1) });
        random.Optimize(t => NsgaProblems.Dtlz2(t, 8), new OptimizeOptions { Trials = 960 });

        double[] reference = [1.1, 1.1, 1.1];
        var hv = Hypervolume.History(study, reference)[^1].Hypervolume;
        var hvRandom = Hypervolume.History(random, reference)[^1].Hypervolume;

        // The true front (the unit sphere's octant) has a hypervolume of 1.331 − π/6 = 0.807 here.
        Assert.True(hv > hvRandom + 0.15, $"NSGA-III {hv:F3}, random {hvRandom:F3}");
        Assert.True(hv > 0.6, $"NSGA-III {hv:F3}");

        var lastGeneration = study.Trials.Max(t => t.SystemAttrs["nsga3:generation"].GetInt32());
        var last = study.Trials.Where(t => t.SystemAttrs["nsga3:generation"].GetInt32() == lastGeneration - 1).ToList();
        var radii = last.Select(t => Math.Sqrt(t.Values!.Sum(v => v * v))).Order().ToList();
        Assert.True(radii[radii.Count / 2] < 1.15, $"median distance from the origin {radii[radii.Count / 2]:F3}");

        // Spread: the best front reaches every objective's low end.
        var front = study.BestTrials;
        for (var j = 0; j < 3; j++)
        {
            Assert.True(front.Min(t => t.Values![j]) < 0.2, $"objective {j} never below 0.2 on the front");
        }
    }

    [Fact]
    public void Selection_FillsTheLastFrontByNiches()
    {
        // Ten points on one front: five crowded near (1, 0), five spread; keeping four should spread over the directions.
        double[][] points =
        [
            [0.99, 0.01], [0.98, 0.02], [0.97, 0.03], [0.96, 0.04], [0.95, 0.05],
            [0.0, 1.0], [0.25, 0.75], [0.5, 0.5], [0.75, 0.25], [1.0, 0.0],
        ];
        var references = ReferencePoints.DasDennis(2, 4);
        var chosen = NsgaSelection.Nsga3(points, new double[points.Length], 5, references, new SeededRandom(1)).Chosen;
        Assert.True(chosen.Count(i => i < 5) <= 1, string.Join(",", chosen));
    }

    [Fact]
    public void Constraints_FeasibleFrontsComeFirst()
    {
        double[][] points = [[0, 0, 0], [1, 1, 1], [0.5, 0.6, 0.7]];
        var chosen = NsgaSelection.Nsga3(points, [3, 0, 0], 2, ReferencePoints.DasDennis(3, 2), new SeededRandom(1)).Chosen;
        Assert.Equal([1, 2], chosen.Order());
    }
}
