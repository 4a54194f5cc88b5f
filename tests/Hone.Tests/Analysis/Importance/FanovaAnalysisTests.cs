using Hone.Analysis.Importance;
using Hone.Distributions;
using static Hone.Tests.Analysis.Importance.ImportanceStudies;

namespace Hone.Tests.Analysis.Importance;

/// <summary>The exact fANOVA of one tree against the same quantities measured on a fine grid of the tree's predictions.</summary>
public class FanovaAnalysisTests
{
    [Fact]
    public void OneTree_MainAndPairVariances_MatchABruteForceGrid()
    {
        var space = new Dictionary<string, Distribution>
        {
            ["a"] = new FloatDistribution(-2, 3),
            ["b"] = new FloatDistribution(0.01, 10, log: true),
            ["c"] = new CategoricalDistribution(["p", "q", "r"]),
        };
        var study = Random(space, 60, p =>
            (p.X("a") * Math.Log(p.X("b"))) + ((string)p["c"]! == "q" ? 2 : 0) + ((string)p["c"]! == "r" ? p.X("a") : 0));
        var options = new ImportanceOptions { Trees = 1, Seed = 11 };
        var data = ImportanceData.From(study, options);
        var forest = RandomForest.Grow(data, options, 11);

        var exact = FanovaAnalysis.Run(forest, interactions: true);

        // Brute force on a grid fine enough that every cell of the tree is hit; cells are rectangles, so midpoints of a
        // regular grid give the averages up to the width of one grid step at each threshold.
        const int n = 400;
        var dims = data.Dimensions.ToArray();
        var sizes = dims.Select(d => d.IsCategorical ? d.Categories : n).ToArray();
        double At(int d, int k) => dims[d].IsCategorical ? k : dims[d].Low + ((k + 0.5) * (dims[d].High - dims[d].Low) / n);
        var f = new double[sizes[0], sizes[1], sizes[2]];
        var point = new double[3];
        for (var i = 0; i < sizes[0]; i++)
        {
            for (var j = 0; j < sizes[1]; j++)
            {
                for (var k = 0; k < sizes[2]; k++)
                {
                    (point[0], point[1], point[2]) = (At(0, i), At(1, j), At(2, k));
                    f[i, j, k] = forest.Predict(point);
                }
            }
        }

        var all = f.Cast<double>().ToArray();
        var mean = all.Average();
        var total = all.Select(v => (v - mean) * (v - mean)).Average();
        double[] Main(int d) => Enumerable.Range(0, sizes[d]).Select(x => Slice(f, sizes, d, x).Average()).ToArray();
        double Var(IEnumerable<double> values) => values.Select(v => (v - mean) * (v - mean)).Average();
        var main = Enumerable.Range(0, 3).Select(d => Var(Main(d))).ToArray();
        for (var d = 0; d < 3; d++)
        {
            Assert.Equal(main[d] / total, exact.MainMean[d], 2);
        }

        for (var d = 0; d < 3; d++)
        {
            for (var e = d + 1; e < 3; e++)
            {
                var joint = Var(Pairs(f, sizes, d, e));
                Assert.Equal((joint - main[d] - main[e]) / total, exact.PairMean[d, e], 2);
            }
        }

        Assert.Equal(1, exact.Trees);
        Assert.True(exact.MainMean.Sum() > 0.05 && exact.MainMean.Sum() < 1);
    }

    private static IEnumerable<double> Slice(double[,,] f, int[] sizes, int d, int x)
    {
        for (var i = 0; i < sizes[0]; i++)
        {
            for (var j = 0; j < sizes[1]; j++)
            {
                for (var k = 0; k < sizes[2]; k++)
                {
                    if ((d == 0 ? i : d == 1 ? j : k) == x)
                    {
                        yield return f[i, j, k];
                    }
                }
            }
        }
    }

    /// <summary>The averages of f over the third dimension, for every pair of values of dimensions d and e.</summary>
    private static IEnumerable<double> Pairs(double[,,] f, int[] sizes, int d, int e)
    {
        var other = 3 - d - e;
        var sums = new double[sizes[d], sizes[e]];
        for (var i = 0; i < sizes[0]; i++)
        {
            for (var j = 0; j < sizes[1]; j++)
            {
                for (var k = 0; k < sizes[2]; k++)
                {
                    int[] idx = [i, j, k];
                    sums[idx[d], idx[e]] += f[i, j, k] / sizes[other];
                }
            }
        }

        return sums.Cast<double>();
    }
}
