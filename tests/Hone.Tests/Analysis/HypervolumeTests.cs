using Hone.Analysis;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Analysis;

public sealed class HypervolumeTests
{
    /// <summary>Random points with integer coordinates in [0, size), some repeated, so the exact volume is a count of unit cells.</summary>
    private static List<double[]> GridPoints(Random rng, int n, int d, int size)
    {
        var points = new List<double[]>();
        for (var i = 0; i < n; i++)
        {
            points.Add(i > 0 && rng.NextDouble() < 0.1
                ? (double[])points[rng.Next(points.Count)].Clone()
                : [.. Enumerable.Range(0, d).Select(_ => (double)rng.Next(size))]);
        }

        return points;
    }

    /// <summary>The number of unit cells [c, c + 1) below the reference that some point weakly dominates.</summary>
    private static double CountCells(List<double[]> points, double[] r)
    {
        var d = r.Length;
        var cell = new int[d];
        var count = 0.0;
        while (true)
        {
            if (points.Exists(p => Enumerable.Range(0, d).All(i => p[i] <= cell[i])))
            {
                count++;
            }

            var k = 0;
            while (k < d && ++cell[k] >= (int)r[k])
            {
                cell[k] = 0;
                k++;
            }

            if (k == d)
            {
                return count;
            }
        }
    }

    [Theory]
    [InlineData(2, 40, 30)]
    [InlineData(3, 30, 15)]
    [InlineData(4, 25, 8)]
    [InlineData(5, 20, 6)]
    public void GridFronts_MatchCellCount(int d, int n, int size)
    {
        var rng = new Random(d * 100 + n);
        for (var rep = 0; rep < 10; rep++)
        {
            var points = GridPoints(rng, n, d, size + 2);
            var r = Enumerable.Repeat((double)size, d).ToArray();
            Assert.Equal(CountCells(points, r), Hypervolume.Compute(points, r), 9);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void ContinuousFronts_MatchMonteCarlo(int d)
    {
        var rng = new Random(d);

        // Points near the sphere's positive orthant, so most of them are non-dominated.
        var points = new List<double[]>();
        for (var i = 0; i < 30; i++)
        {
            var v = Enumerable.Range(0, d).Select(_ => Math.Abs(rng.NextDouble() + 0.05)).ToArray();
            var norm = Math.Sqrt(v.Sum(x => x * x));
            points.Add([.. v.Select(x => x / norm)]);
        }

        var r = Enumerable.Repeat(1.1, d).ToArray();
        var exact = Hypervolume.Compute(points, r);
        const int Samples = 200_000;
        var hits = 0;
        var box = Math.Pow(1.1, d);
        var u = new double[d];
        for (var s = 0; s < Samples; s++)
        {
            for (var i = 0; i < d; i++)
            {
                u[i] = rng.NextDouble() * 1.1;
            }

            if (points.Exists(p => Enumerable.Range(0, d).All(i => p[i] <= u[i])))
            {
                hits++;
            }
        }

        var fraction = (double)hits / Samples;
        var sigma = Math.Sqrt(fraction * (1 - fraction) / Samples);
        Assert.InRange(exact / box, fraction - (5 * sigma), fraction + (5 * sigma));
    }

    [Fact]
    public void ThreeObjectives_AgreeWithFourObjectiveAlgorithm()
    {
        var rng = new Random(7);
        for (var rep = 0; rep < 20; rep++)
        {
            var points = Enumerable.Range(0, 40).Select(_ => new[] { rng.NextDouble(), rng.NextDouble(), rng.NextDouble() }).ToList();
            var lifted = points.Select(p => new[] { p[0], p[1], p[2], 0.0 }).ToList();
            Assert.Equal(Hypervolume.Compute(points, [1.0, 1.0, 1.0]), Hypervolume.Compute(lifted, [1.0, 1.0, 1.0, 1.0]), 12);
        }
    }

    [Fact]
    public void HandComputedCases()
    {
        Assert.Equal(3, Hypervolume.Compute([[1, 2], [2, 1]], [3, 3]), 12);
        Assert.Equal(6, Hypervolume.Compute([[0, 0, 0]], [1, 2, 3]), 12);

        // Two boxes of 2×2×1 and 1×1×2 overlapping in a 1×1×1 cube.
        Assert.Equal(5, Hypervolume.Compute([[0, 0, 1], [1, 1, 0]], [2, 2, 2]), 12);
        Assert.Equal(16, Hypervolume.Compute([[0, 0, 0, 0], [1, 1, 1, 1]], [2, 2, 2, 2]), 12);
        Assert.Equal(2.5, Hypervolume.Compute([[0.5]], [3]), 12);
        Assert.Equal(0, Hypervolume.Compute([], [1, 1]));
    }

    [Fact]
    public void DuplicatesAndDominatedPoints_AddNothing()
    {
        double[][] front = [[1, 3], [2, 2], [3, 1]];
        var hv = Hypervolume.Compute(front, [4, 4]);
        Assert.Equal(6, hv, 12);
        Assert.Equal(hv, Hypervolume.Compute([.. front, [1, 3], [2, 2], [3.5, 3.5]], [4, 4]), 12);
    }

    [Fact]
    public void PointsNotDominatingTheReference_AddNothing()
    {
        Assert.Equal(0, Hypervolume.Compute([[4, 0], [0, 4], [5, 5]], [4, 4]));
        Assert.Equal(1, Hypervolume.Compute([[3, 3], [4, -10], [double.PositiveInfinity, 0]], [4, 4]), 12);
    }

    [Fact]
    public void BadInput_IsRejectedWithTheReason()
    {
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => Hypervolume.Compute([[double.NaN, 1]], [2, 2])).Message);
        Assert.Contains("reference point has 2", Assert.Throws<ArgumentException>(() => Hypervolume.Compute([[1, 1, 1]], [2, 2])).Message);
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => Hypervolume.Compute([[1, 1]], [2, double.PositiveInfinity])).Message);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Contributions_AreTheLossWhenEachPointIsRemoved(int d)
    {
        var rng = new Random(30 + d);
        var points = GridPoints(rng, 15, d, 8);
        points.Add([.. Enumerable.Repeat(9.0, d)]);
        double[] r = [.. Enumerable.Repeat(8.0, d)];
        var total = Hypervolume.Compute(points, r);
        var contributions = Hypervolume.Contributions(points, r);
        for (var i = 0; i < points.Count; i++)
        {
            var others = points.Where((_, j) => j != i).ToList();
            Assert.Equal(total - Hypervolume.Compute(others, r), contributions[i], 9);
        }

        Assert.Equal(0, contributions[^1]);
    }

    [Fact]
    public void Contributions_OfDuplicates_AreZero()
    {
        var c = Hypervolume.Contributions([[1, 2], [1, 2], [2, 1]], [3, 3]);
        Assert.Equal([0, 0, 1], c);
    }

    [Fact]
    public void History_CountsCompleteTrials_InTheStudysDirections()
    {
        var study = Study.Create(new StudyOptions { Directions = [StudyDirection.Minimize, StudyDirection.Maximize] });
        var d = new Dictionary<string, Distribution> { ["x"] = new FloatDistribution(0, 1) };
        void Add(double a, double b, TrialState state = TrialState.Complete) =>
            study.AddTrial(FrozenTrial.Create(new Dictionary<string, object?> { ["x"] = 0.5 }, d, state == TrialState.Complete ? [a, b] : null, state));

        Add(1, 2);          // box (3 - 1) × (2 - 0) = 4
        Add(0, 0, TrialState.Fail);
        Add(2, 1);          // dominated
        Add(0, 1);          // (3 - 0) × (1 - 0) = 3, of which 2 already counted
        Add(5, 5);          // outside the reference
        var history = Hypervolume.History(study, [3, 0]);
        Assert.Equal([0, 2, 3, 4], history.Select(e => e.TrialNumber));
        Assert.Equal([4, 4, 5, 5], history.Select(e => e.Hypervolume));
        Assert.Throws<ArgumentException>(() => Hypervolume.History(study, [3]));
    }
}
