using Hone.Analysis;

namespace Hone.Tests.Analysis;

public sealed class NonDominatedSortingTests
{
    [Fact]
    public void Fronts_MatchPeelingOffTheNonDominatedSets()
    {
        var rng = new Random(3);
        for (var rep = 0; rep < 20; rep++)
        {
            var d = 2 + (rep % 3);
            var points = Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, d).Select(_ => (double)rng.Next(6)).ToArray()).ToList();
            var fronts = NonDominatedSorting.Sort(points);

            var remaining = Enumerable.Range(0, points.Count).ToList();
            foreach (var front in fronts)
            {
                var expected = remaining.Where(i => !remaining.Any(j => NonDominatedSorting.Dominates(points[j], points[i]))).ToList();
                Assert.Equal(expected, front);
                remaining.RemoveAll(front.Contains);
            }

            Assert.Empty(remaining);
            Assert.Equal(fronts[0], NonDominatedSorting.ParetoFront(points));
        }
    }

    [Fact]
    public void Duplicates_ShareAFront()
    {
        var fronts = NonDominatedSorting.Sort([[1, 1], [1, 1], [2, 2]]);
        Assert.Equal([[0, 1], [2]], fronts);
    }

    [Fact]
    public void ConstraintDominance_PutsFeasibleFirst_ThenLessViolation()
    {
        // The infeasible points are better in the objectives, and still rank after every feasible one.
        double[][] points = [[0, 0], [10, 10], [1, 9], [9, 1], [-1, -1]];
        double[] violations = [2, 0, 0, 0, 1];
        var fronts = NonDominatedSorting.Sort(points, violations);
        Assert.Equal([[2, 3], [1], [4], [0]], fronts);
    }

    [Fact]
    public void Dominates_NeedsOneStrictImprovement()
    {
        Assert.True(NonDominatedSorting.Dominates([1, 2], [1, 3]));
        Assert.False(NonDominatedSorting.Dominates([1, 2], [1, 2]));
        Assert.False(NonDominatedSorting.Dominates([1, 4], [2, 3]));
        Assert.Throws<ArgumentException>(() => NonDominatedSorting.Dominates([1], [1, 2]));
        Assert.Throws<ArgumentException>(() => NonDominatedSorting.Sort([[double.NaN, 1]]));
    }
}
