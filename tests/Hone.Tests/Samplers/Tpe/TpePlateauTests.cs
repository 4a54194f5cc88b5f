using Hone.Samplers;
using Hone.Samplers.Tpe;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Samplers.Tpe;

/// <summary>
/// TPE on tied values: a loss surface flat on ~90% of the space (a decision tree that degenerates to a constant
/// classifier) must not trap the sampler on the plateau, and ties must be split between good and bad fairly.
/// </summary>
public class TpePlateauTests
{
    private const int Startup = 10;
    private const int Budget = 60;

    /// <summary>Loss 1 unless max_depth ≥ 16, min_samples_leaf ≤ 16 and ccp_alpha ≤ 1e-3 (~11% of the space under the samplers' log scaling); there a bowl below 0.3.</summary>
    private static double TreeLoss(Trial t)
    {
        var depth = t.SuggestInt("max_depth", 1, 32);
        var leaf = t.SuggestInt("min_samples_leaf", 1, 512, log: true);
        var alpha = t.SuggestFloat("ccp_alpha", 1e-5, 1, log: true);
        var features = t.SuggestFloat("max_features", 0.05, 1.0);
        if (depth < 16 || leaf > 16 || alpha > 1e-3)
        {
            return 1;
        }

        return 0.25 * (Square((depth - 24) / 16.0) + Square((Math.Log2(leaf) - 2) / 4)
            + Square((Math.Log10(alpha) + 4) / 2) + Square(features - 0.6));
    }

    private static double Square(double v) => v * v;

    private static List<FrozenTrial> Run(ISampler sampler, int trials)
    {
        var study = Study.Create(new StudyOptions { Sampler = sampler });
        study.Optimize(TreeLoss, new OptimizeOptions { Trials = trials });
        return [.. study.Trials];
    }

    private static double PlateauShare(IEnumerable<FrozenTrial> trials)
    {
        var list = trials.ToList();
        return list.Count(t => t.Value == 1) / (double)list.Count;
    }

    /// <summary>The first seeds whose startup trials all land on the plateau (every value tied).</summary>
    private static List<int> AllTiedStartSeeds(int wanted)
    {
        var seeds = new List<int>();
        for (var seed = 1; seeds.Count < wanted && seed < 200; seed++)
        {
            var start = Run(new TpeSampler(new() { Seed = seed }), Startup);
            if (start.All(t => t.Value == 1))
            {
                seeds.Add(seed);
            }
        }

        Assert.Equal(wanted, seeds.Count);
        return seeds;
    }

    [Fact]
    public void MultivariateTpe_AfterAnAllTiedStart_LeavesThePlateauAtLeastAsOftenAsRandomSearch()
    {
        var seeds = AllTiedStartSeeds(6);
        var tpeShares = new List<double>();
        var randomShares = new List<double>();
        var stuck = new List<int>();
        foreach (var seed in seeds)
        {
            var tpe = Run(new TpeSampler(new() { Seed = seed }), Budget);
            var random = Run(new RandomSampler(seed), Budget);
            tpeShares.Add(PlateauShare(tpe.Skip(Startup)));
            randomShares.Add(PlateauShare(random.Skip(Startup)));
            if (tpe.All(t => t.Value == 1))
            {
                stuck.Add(seed);
            }
        }

        var detail = $"seeds {string.Join(",", seeds)}; TPE plateau shares {string.Join(", ", tpeShares.Select(s => s.ToString("0.00")))}; " +
            $"random {string.Join(", ", randomShares.Select(s => s.ToString("0.00")))}";
        Assert.True(stuck.Count == 0, $"TPE never left the plateau in {Budget} trials on seeds {string.Join(",", stuck)}; {detail}");
        for (var i = 0; i < seeds.Count; i++)
        {
            Assert.True(tpeShares[i] < randomShares[i], $"seed {seeds[i]}: TPE no better than random search off the plateau; {detail}");
        }
    }

    [Fact]
    public void MultivariateTpe_OnAConstantObjective_DoesNotClusterAroundTheOldestTrials()
    {
        // Every value tied: no observation is better than another, so none may pull the proposals towards it
        // (with the oldest trials as "good", l(x) had narrow kernels on them and most proposals landed there).
        var near = 0;
        var total = 0;
        for (var seed = 1; seed <= 4; seed++)
        {
            var study = Study.Create(new StudyOptions { Sampler = new TpeSampler(new() { Seed = seed }) });
            study.Optimize(
                t => 1 + (0 * (t.SuggestFloat("a", 0, 1) + t.SuggestFloat("b", 0, 1) + t.SuggestFloat("c", 0, 1))),
                new OptimizeOptions { Trials = 50 });
            var points = study.Trials.Select(t => new[] { (double)t.Params["a"]!, (double)t.Params["b"]!, (double)t.Params["c"]! }).ToList();
            foreach (var p in points.Skip(Startup))
            {
                total++;
                if (points.Take(3).Any(o => o.Zip(p).All(z => Math.Abs(z.First - z.Second) < 0.1)))
                {
                    near++;
                }
            }
        }

        // Random search puts about 3 · 0.2³ ≈ 2.4% of the points that close to one of three given points.
        Assert.True(near < 0.1 * total, $"{near} of {total} proposals within 0.1 of one of the three oldest trials in every coordinate");
    }

    [Theory]
    [InlineData(new[] { 5.0, 3, 4, 1, 2, 6 }, 2, new[] { 3, 4 })] // no tie: Optuna's first n_below by value
    [InlineData(new[] { 2.0, 1, 2, 1, 3, 1 }, 2, new[] { 1, 3, 5 })] // best value tied across the boundary: all of it
    [InlineData(new[] { 1.0, 1, 0.5, 1, 1, 1 }, 2, new[] { 2 })] // a tie after a better value: only the strictly better
    [InlineData(new[] { 0.2, 0.5, 0.5, 0.5, 0.1, 0.9 }, 3, new[] { 0, 4 })] // three tied, one of them asked for
    [InlineData(new[] { 1.0, 1, 1, 1, 1, 1 }, 1, new int[0])] // all tied: no signal, nothing is good
    [InlineData(new[] { 1.0, 1, 2, 0.5 }, 3, new[] { 0, 1, 3 })] // a tie wholly inside the good set stays
    public void Split_MovesTheBoundaryToATieThatCrossesIt(double[] values, int nBelow, int[] expectedBelow)
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(1) });
        study.Optimize(t => values[t.Number] + (0 * t.SuggestFloat("x", 0, 1)), new OptimizeOptions { Trials = values.Length });
        var history = new ObservationHistory(StudyDirection.Minimize);
        var view = history.Refresh(study);

        var split = history.GetSplit(view.Version, view.Count, nBelow);

        Assert.Equal(expectedBelow, split.Below);
        Assert.Equal(Enumerable.Range(0, values.Length).Except(expectedBelow), split.Above);
    }
}
