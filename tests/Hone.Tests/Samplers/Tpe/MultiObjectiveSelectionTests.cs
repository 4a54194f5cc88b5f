using Hone.Analysis;
using Hone.Samplers.Tpe;

namespace Hone.Tests.Samplers.Tpe;

public class MultiObjectiveSelectionTests
{
    [Fact]
    public void SelectGood_TakesWholeFrontsFirst()
    {
        // Front 0: (0, 2), (2, 0); front 1: (1, 3), (2, 2), (3, 1); front 2: (4, 4).
        double[][] points = [[4, 4], [1, 3], [0, 2], [2, 2], [3, 1], [2, 0]];
        Assert.Equal([2, 5], MultiObjectiveSelection.SelectGood(points, 2).Order());
        Assert.Equal([1, 2, 3, 4, 5], MultiObjectiveSelection.SelectGood(points, 5).Order());
    }

    [Fact]
    public void SelectGood_CutsTheBoundaryFront_ByTheLargestHypervolumeFirst()
    {
        // Boundary front (1, 3), (2, 2), (3, 1): reference (3.3, 3.3); alone, (2, 2) dominates 1.69 and the others 0.69.
        double[][] points = [[0, 0], [1, 3], [2, 2], [3, 1]];
        Assert.Equal([0, 2], MultiObjectiveSelection.SelectGood(points, 2).Order());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SelectGood_OnOneFront_IsWithinTheGreedyBoundOfTheBestSubset(int seed)
    {
        // Greedy hypervolume subset selection keeps at least (1 − 1/e) of the best subset's hypervolume.
        var rng = new Random(seed);
        for (var round = 0; round < 20; round++)
        {
            var n = rng.Next(4, 10);
            var k = rng.Next(1, n);
            var points = new double[n][];
            for (var i = 0; i < n; i++)
            {
                var a = rng.NextDouble();
                points[i] = [a, 1 - a + (0.05 * rng.NextDouble()), rng.NextDouble()];
            }

            var front = NonDominatedSorting.Sort(points)[0];
            if (front.Length <= k)
            {
                continue;
            }

            var onFront = front.Select(i => points[i]).ToArray();
            var reference = MultiObjectiveSelection.ReferencePoint(onFront, Enumerable.Range(0, onFront.Length))!;
            var chosen = MultiObjectiveSelection.SelectGood(onFront, k);
            Assert.Equal(k, chosen.Distinct().Count());
            var greedy = Hypervolume.Compute([.. chosen.Select(i => onFront[i])], reference);
            var best = Subsets(onFront.Length, k).Max(s => Hypervolume.Compute([.. s.Select(i => onFront[i])], reference));
            Assert.True(greedy >= ((1 - (1 / Math.E)) * best) - 1e-12, $"greedy {greedy}, best {best}");
        }
    }

    [Fact]
    public void Weights_AreHypervolumeContributions_OverTheLargest()
    {
        // Reference (3.3, 3.3). (1, 1) alone dominates [1, 3]²: 4; (0, 3) and (3, 0) each a 1 × 0.3 strip.
        var w = MultiObjectiveSelection.Weights([[0, 3], [1, 1], [3, 0]]);
        Assert.Equal(0.075, w[0], 9);
        Assert.Equal(1.0, w[1], 9);
        Assert.Equal(0.075, w[2], 9);
    }

    [Fact]
    public void Weights_OfDuplicates_AreEqualAndPositive_OfOnePoint_One()
    {
        var w = MultiObjectiveSelection.Weights([[1, 1], [1, 1]]);
        Assert.Equal(w[0], w[1]);
        Assert.True(w[0] > 0);
        Assert.Equal([1.0], MultiObjectiveSelection.Weights([[5, 5]]));
    }

    [Fact]
    public void ReferencePoint_MovesTheWorstPointOutwardsByATenth()
    {
        double[][] points = [[1, -10, 0], [2, -20, 0]];
        var r = MultiObjectiveSelection.ReferencePoint(points, [0, 1])!;
        Assert.Equal(2.2, r[0], 12);
        Assert.Equal(-9, r[1], 12);
        Assert.True(r[2] > 0 && r[2] < 1e-9);
        Assert.Null(MultiObjectiveSelection.ReferencePoint([[double.PositiveInfinity, 0]], [0]));
    }

    private static IEnumerable<int[]> Subsets(int n, int k)
    {
        if (k == 0)
        {
            yield return [];
            yield break;
        }

        for (var first = 0; first <= n - k; first++)
        {
            foreach (var rest in Subsets(n - first - 1, k - 1))
            {
                yield return [first, .. rest.Select(r => r + first + 1)];
            }
        }
    }
}
