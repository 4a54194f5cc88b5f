using Hone.Analysis;
using Hone.Samplers;
using Hone.Samplers.Gp;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Samplers.Gp;

public class GpMultiObjectiveTests
{
    private static readonly StudyDirection[] TwoMinimize = [StudyDirection.Minimize, StudyDirection.Minimize];

    private static GpSampler Gp(long seed) => new(new GpSamplerOptions { Seed = seed });

    /// <summary>ZDT1 on <paramref name="n"/> parameters.</summary>
    private static double[] Zdt1(Trial t, int n)
    {
        var x = Enumerable.Range(0, n).Select(i => t.SuggestFloat($"x{i}", 0, 1)).ToArray();
        var g = 1 + (9.0 / (n - 1) * x.Skip(1).Sum());
        return [x[0], g * (1 - Math.Sqrt(x[0] / g))];
    }

    /// <summary>Binh and Korn's problem (1997): two quadratics under two constraints, about a quarter of the box infeasible.</summary>
    private static double[] BinhKorn(Trial t)
    {
        var x = t.SuggestFloat("x", 0, 5);
        var y = t.SuggestFloat("y", 0, 3);
        t.SetConstraint("c1", ((x - 5) * (x - 5)) + (y * y) - 25);
        t.SetConstraint("c2", 7.7 - (((x - 8) * (x - 8)) + ((y + 3) * (y + 3))));
        return [(4 * x * x) + (4 * y * y), ((x - 5) * (x - 5)) + ((y - 5) * (y - 5))];
    }

    private static Study Run(ISampler sampler, Func<Trial, double[]> objective, int trials, int parallelism = 1)
    {
        var study = Study.Create(new StudyOptions { Directions = TwoMinimize, Sampler = sampler });
        study.Optimize(objective, new OptimizeOptions { Trials = trials, Parallelism = parallelism });
        return study;
    }

    /// <summary>The hypervolume improvement of a point by brute force: the front's hypervolume with and without it (minimisation, by <see cref="Hypervolume"/>).</summary>
    private static double BruteForceImprovement(double[][] front, double[] reference, double[] y)
    {
        // The boxes maximise; Hypervolume minimises: negate everything.
        static double[] Neg(double[] p) => [.. p.Select(v => -v)];
        var before = Hypervolume.Compute([.. front.Select(Neg)], Neg(reference));
        var after = Hypervolume.Compute([.. front.Select(Neg).Append(Neg(y))], Neg(reference));
        return after - before;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Boxes_ImprovementOfAnyPoint_MatchesTheHypervolumeDifference(int m)
    {
        var rng = new Random(5);
        var front = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, m).Select(_ => rng.NextDouble()).ToArray()).ToArray();
        var reference = Enumerable.Repeat(-0.2, m).ToArray();
        var boxes = ImprovementBoxes.Create(front, reference);
        for (var i = 0; i < 200; i++)
        {
            var y = Enumerable.Range(0, m).Select(_ => (rng.NextDouble() * 1.6) - 0.3).ToArray();
            Assert.Equal(BruteForceImprovement(front, reference, y), boxes.Improvement(y), 1e-9);
        }
    }

    [Theory]
    [InlineData(2, 0.0, 0.05)]
    [InlineData(2, 0.6, 0.3)]
    [InlineData(2, -2.0, 0.1)]
    [InlineData(3, 0.3, 0.2)]
    public void LogEhvi_MatchesAMonteCarloEstimate(int m, double shift, double sd)
    {
        var front = m == 2
            ? new[] { new[] { 0.0, 1.0 }, [0.5, 0.6], [0.8, 0.2], [1.0, -0.1] }
            : [[0.0, 0.5, 1.0], [0.5, 0.5, 0.5], [1.0, 0.2, 0.0], [0.2, 1.0, 0.3]];
        var reference = Enumerable.Repeat(-0.5, m).ToArray();
        var boxes = ImprovementBoxes.Create(front, reference);
        var mean = Enumerable.Range(0, m).Select(j => 0.5 + shift + (0.1 * j)).ToArray();
        var variance = Enumerable.Range(0, m).Select(j => sd * sd * (1 + (0.5 * j))).ToArray();
        var exact = new LogExpectedHypervolumeImprovement(boxes).Value(mean, variance, [], []);

        var rng = new Random(11);
        const int samples = 400_000;
        var sum = 0.0;
        var sumSq = 0.0;
        var y = new double[m];
        for (var s = 0; s < samples; s++)
        {
            for (var j = 0; j < m; j++)
            {
                var u1 = 1 - rng.NextDouble();
                var u2 = rng.NextDouble();
                y[j] = mean[j] + (Math.Sqrt(variance[j]) * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            }

            var v = boxes.Improvement(y);
            sum += v;
            sumSq += v * v;
        }

        var estimate = sum / samples;
        var standardError = Math.Sqrt(Math.Max(0, (sumSq / samples) - (estimate * estimate)) / samples);
        Assert.True(Math.Abs(Math.Exp(exact) - estimate) <= (4 * standardError) + 1e-12,
            $"exact {Math.Exp(exact)}, Monte Carlo {estimate} ± {standardError}");
    }

    [Fact]
    public void LogEhvi_FarFromTheFront_IsFiniteAndDecreasing()
    {
        var boxes = ImprovementBoxes.Create([[0.0, 1.0], [1.0, 0.0]], [-0.5, -0.5]);
        var ehvi = new LogExpectedHypervolumeImprovement(boxes);
        var previous = double.PositiveInfinity;
        foreach (var mean in new[] { 0.0, -2, -5, -10, -40 })
        {
            var v = ehvi.Value([mean, mean], [0.01, 0.01], [], []);
            Assert.True(double.IsFinite(v) && v < previous, $"log EHVI {v} at {mean}");
            previous = v;
        }
    }

    [Theory]
    [InlineData(0.3, 0.5, 0.04, 0.09)]
    [InlineData(-1.5, 0.2, 0.01, 0.5)]
    [InlineData(1.5, 1.2, 0.3, 0.02)]
    public void LogEhvi_Gradient_MatchesFiniteDifferences(double m0, double m1, double v0, double v1)
    {
        var boxes = ImprovementBoxes.Create([[0.0, 1.0], [0.5, 0.6], [1.0, 0.0]], [-0.5, -0.5]);
        var ehvi = new LogExpectedHypervolumeImprovement(boxes);
        double[] mean = [m0, m1];
        double[] variance = [v0, v1];
        var dm = new double[2];
        var dv = new double[2];
        ehvi.Value(mean, variance, dm, dv);
        for (var j = 0; j < 2; j++)
        {
            const double h = 1e-6;
            var up = (double[])mean.Clone();
            var down = (double[])mean.Clone();
            up[j] += h;
            down[j] -= h;
            var numeric = (ehvi.Value(up, variance, [], []) - ehvi.Value(down, variance, [], [])) / (2 * h);
            Assert.Equal(numeric, dm[j], 1e-4 * Math.Max(1, Math.Abs(numeric)));
            var upV = (double[])variance.Clone();
            var downV = (double[])variance.Clone();
            upV[j] += h * variance[j];
            downV[j] -= h * variance[j];
            numeric = (ehvi.Value(mean, upV, [], []) - ehvi.Value(mean, downV, [], [])) / (2 * h * variance[j]);
            Assert.Equal(numeric, dv[j], 1e-4 * Math.Max(1, Math.Abs(numeric)));
        }
    }

    [Fact]
    public void LogEhvi_Gradient_MatchesFiniteDifferences_InThreeObjectives()
    {
        var boxes = ImprovementBoxes.Create([[0.0, 0.5, 1.0], [0.5, 0.5, 0.5], [1.0, 0.2, 0.0], [0.2, 1.0, 0.3]], [-0.5, -0.5, -0.5]);
        var ehvi = new LogExpectedHypervolumeImprovement(boxes);
        double[] mean = [0.4, 0.7, -0.2];
        double[] variance = [0.05, 0.2, 0.01];
        var dm = new double[3];
        var dv = new double[3];
        ehvi.Value(mean, variance, dm, dv);
        for (var j = 0; j < 3; j++)
        {
            const double h = 1e-6;
            var up = (double[])mean.Clone();
            var down = (double[])mean.Clone();
            up[j] += h;
            down[j] -= h;
            var numeric = (ehvi.Value(up, variance, [], []) - ehvi.Value(down, variance, [], [])) / (2 * h);
            Assert.Equal(numeric, dm[j], 1e-4 * Math.Max(1, Math.Abs(numeric)));
            var upV = (double[])variance.Clone();
            var downV = (double[])variance.Clone();
            upV[j] += h * variance[j];
            downV[j] -= h * variance[j];
            numeric = (ehvi.Value(mean, upV, [], []) - ehvi.Value(mean, downV, [], [])) / (2 * h * variance[j]);
            Assert.Equal(numeric, dv[j], 1e-4 * Math.Max(1, Math.Abs(numeric)));
        }
    }

    [Fact]
    public void LogProbabilityOfFeasibility_MatchesTheNormalCdf_AndStaysFiniteInTheTail()
    {
        Assert.Equal(Math.Log(0.5), LogProbabilityOfFeasibility.LogCdf(0), 1e-12);
        Assert.Equal(Math.Log(0.841344746068543), LogProbabilityOfFeasibility.LogCdf(1), 1e-10);
        Assert.Equal(Math.Log(0.0013498980316301), LogProbabilityOfFeasibility.LogCdf(-3), 1e-9);
        Assert.True(double.IsFinite(LogProbabilityOfFeasibility.LogCdf(-60)));
        Assert.Equal((-0.5 * 60 * 60) - Math.Log(60) - (0.5 * Math.Log(2 * Math.PI)), LogProbabilityOfFeasibility.LogCdf(-60), 1e-3);
        foreach (var z in new[] { -30.0, -3, -0.5, 0.7, 4 })
        {
            const double h = 1e-6;
            var numeric = (LogProbabilityOfFeasibility.LogCdf(z + h) - LogProbabilityOfFeasibility.LogCdf(z - h)) / (2 * h);
            Assert.Equal(numeric, LogProbabilityOfFeasibility.LogCdfDerivative(z), 1e-4 * Math.Max(1, Math.Abs(numeric)));
        }
    }

    [Fact]
    public void Zdt1_HypervolumeAfter40Trials_BeatsRandomSearch()
    {
        double MedianHv(Func<long, ISampler> make)
        {
            var hvs = new List<double>();
            foreach (var seed in new long[] { 1, 2, 3 })
            {
                var study = Run(make(seed), t => Zdt1(t, 4), 40);
                hvs.Add(Hypervolume.Compute([.. study.GetTrials(TrialState.Complete).Select(t => t.Values!.ToArray())], [1.1, 11]));
            }

            hvs.Sort();
            return hvs[1];
        }

        var gp = MedianHv(Gp);
        var random = MedianHv(seed => new RandomSampler(seed));
        // ZDT1's optimal front has hypervolume ≈ 10.77 at (1.1, 11); random search at 40 trials reaches ≈ 9.6-9.9.
        Assert.True(gp > random + 0.3, $"GP {gp}, random {random}");
    }

    [Fact]
    public void Constraints_FeasibleFraction_IsHigherThanRandomSearch()
    {
        // Feasible inside a disc of radius 0.3 (28% of the square); the front is its lower-left arc.
        static double[] Disc(Trial t)
        {
            var x = t.SuggestFloat("x", 0, 1);
            var y = t.SuggestFloat("y", 0, 1);
            t.SetConstraint("disc", ((x - 0.5) * (x - 0.5)) + ((y - 0.5) * (y - 0.5)) - 0.09);
            return [x, y];
        }

        double Feasible(ISampler sampler)
        {
            var study = Run(sampler, Disc, 40);
            return study.GetTrials(TrialState.Complete).Skip(10).Count(t => t.IsFeasible) / 30.0;
        }

        var gp = (Feasible(Gp(1)) + Feasible(Gp(2))) / 2;
        var random = (Feasible(new RandomSampler(1)) + Feasible(new RandomSampler(2))) / 2;
        Assert.True(gp > random + 0.25, $"GP feasible fraction {gp}, random {random}");
    }

    [Fact]
    public void NoFeasibleTrialYet_SearchesForFeasibility()
    {
        // Feasible only in a small corner: x + y ≥ 1.7 on the unit square (4.5% of it).
        var study = Run(Gp(4), t =>
        {
            var x = t.SuggestFloat("x", 0, 1);
            var y = t.SuggestFloat("y", 0, 1);
            t.SetConstraint("corner", 1.7 - x - y);
            return [x, y];
        }, 30);
        Assert.True(study.GetTrials(TrialState.Complete).Skip(10).Count(t => t.IsFeasible) >= 5);
    }

    [Fact]
    public void ParallelWorkers_AndAskTell_DoNotCrash_AndGetDistinctPoints()
    {
        var study = Run(Gp(7), t => Zdt1(t, 3), 30, parallelism: 4);
        Assert.Equal(30, study.GetTrials(TrialState.Complete).Count);

        var asked = Study.Create(new StudyOptions { Directions = TwoMinimize, Sampler = Gp(8) });
        for (var round = 0; round < 4; round++)
        {
            var trials = Enumerable.Range(0, 5).Select(_ => asked.Ask()).ToList();
            var points = trials.Select(t => (t.SuggestFloat("x", 0, 1), t.SuggestFloat("y", 0, 1))).ToList();
            Assert.Equal(points.Count, points.Distinct().Count());
            for (var i = 0; i < trials.Count; i++)
            {
                asked.Tell(trials[i], [points[i].Item1, 1 - (points[i].Item1 * points[i].Item2)]);
            }
        }

        Assert.Equal(20, asked.GetTrials(TrialState.Complete).Count);
    }

    [Fact]
    public void IntegerLogAndCategoricalParameters_StayInRange_AndFindTheFront()
    {
        var study = Run(Gp(9), t =>
        {
            var n = t.SuggestInt("n", 1, 64, log: true);
            var k = t.SuggestInt("k", 0, 10);
            var lr = t.SuggestFloat("lr", 1e-4, 1, log: true);
            var kind = t.SuggestCategorical("kind", ["a", "b", "c"]);
            var penalty = kind == "b" ? 0 : 1;
            return [Math.Log2(n) + penalty + Math.Abs(k - 3), (6 - Math.Log2(n)) + penalty + Math.Abs(Math.Log10(lr) + 2)];
        }, 40);
        foreach (var t in study.Trials)
        {
            Assert.InRange((int)t.Params["n"]!, 1, 64);
            Assert.InRange((int)t.Params["k"]!, 0, 10);
            Assert.InRange((double)t.Params["lr"]!, 1e-4, 1);
        }

        // The front is kind = b, k = 3, lr near 1e-2: after the startup trials most trials should take b.
        Assert.True(study.Trials.Skip(10).Count(t => (string)t.Params["kind"]! == "b") >= 15);
        Assert.Contains(study.BestTrials, t => (int)t.Params["k"]! == 3 && (string)t.Params["kind"]! == "b");
    }

    [Fact]
    public void SameSeed_SameTrials()
    {
        var a = Run(Gp(5), BinhKorn, 15);
        var b = Run(Gp(5), BinhKorn, 15);
        Assert.Equal(a.Trials.Select(t => t.Params["x"]), b.Trials.Select(t => t.Params["x"]));
    }
}
