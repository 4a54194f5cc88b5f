using Hone.Distributions;
using Hone.Samplers;
using Hone.Samplers.Gp;

namespace Hone.Tests.Samplers.Gp;

public class GpModelTests
{
    private static (double[] X, double[] Y, int N) Data(int n, int d, int seed)
    {
        var rng = new SeededRandom((ulong)seed);
        var x = new double[n * d];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++)
            {
                x[(i * d) + j] = rng.NextDouble();
            }

            y[i] = Math.Sin(6 * x[i * d]) + (d > 1 ? x[(i * d) + 1] : 0);
        }

        var mean = y.Average();
        var sd = Math.Sqrt(y.Select(v => (v - mean) * (v - mean)).Average());
        return (x, [.. y.Select(v => (v - mean) / sd)], n);
    }

    [Theory]
    [InlineData(-40)]
    [InlineData(-1e3)]
    [InlineData(-1e9)]
    [InlineData(-5)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(3)]
    public void LogH_IsFiniteAndItsDerivativeMatchesFiniteDifferences(double z)
    {
        var v = LogExpectedImprovement.LogH(z);
        Assert.True(double.IsFinite(v), $"log h({z}) = {v}");
        var g = LogExpectedImprovement.LogHDerivative(z);
        Assert.True(double.IsFinite(g) && g > 0, $"d log h({z}) = {g}");
        var step = 1e-5 * Math.Max(1, Math.Abs(z));
        var numeric = (LogExpectedImprovement.LogH(z + step) - LogExpectedImprovement.LogH(z - step)) / (2 * step);
        if (Math.Abs(z) < 1e4)
        {
            Assert.Equal(numeric, g, 1e-4 * Math.Max(1, Math.Abs(g)));
        }
    }

    [Fact]
    public void LogH_MatchesTheDirectFormulaWhereThatIsAccurate_AndTheAsymptoteFarOut()
    {
        foreach (var z in new[] { -3.0, -1.5, -0.5, 0, 2 })
        {
            var phi = Math.Exp(-z * z / 2) / Math.Sqrt(2 * Math.PI);
            var cdf = 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-z / Math.Sqrt(2));
            Assert.Equal(Math.Log(phi + (z * cdf)), LogExpectedImprovement.LogH(z), 1e-8);
        }

        // log h(z) → -z²/2 - ½log 2π - 2 log|z| as z → -∞.
        var far = -40.0;
        var asymptote = (-far * far / 2) - (0.5 * Math.Log(2 * Math.PI)) - (2 * Math.Log(-far));
        Assert.Equal(asymptote, LogExpectedImprovement.LogH(far), 1e-2);
        Assert.True(LogExpectedImprovement.LogH(-40) < LogExpectedImprovement.LogH(-39.9));
        Assert.True(double.IsFinite(LogExpectedImprovement.Value(0, 1e-6, 1)));
    }

    [Fact]
    public void MarginalLikelihoodGradient_MatchesFiniteDifferences()
    {
        var (x, y, n) = Data(25, 3, 1);
        bool[] categorical = [false, false, true];
        for (var i = 0; i < n; i++)
        {
            x[(i * 3) + 2] = i % 3;
        }

        var ml = new MarginalLikelihood(x, n, y, categorical, deterministic: false);
        double[] theta = [0.3, -0.5, 1.2, 0.1, Math.Log(0.01)];
        var g = new double[theta.Length];
        ml.Evaluate(theta, g);
        for (var k = 0; k < theta.Length; k++)
        {
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[k] += 1e-5;
            minus[k] -= 1e-5;
            var scratch = new double[theta.Length];
            var numeric = (ml.Evaluate(plus, scratch) - ml.Evaluate(minus, scratch)) / 2e-5;
            Assert.Equal(numeric, g[k], 1e-4 * Math.Max(1, Math.Abs(numeric)));
        }
    }

    [Fact]
    public void Fit_ImprovesThePosterior_AndStaysInBounds()
    {
        var (x, y, n) = Data(30, 2, 2);
        var ml = new MarginalLikelihood(x, n, y, [false, false], deterministic: false);
        var start = ml.Default();
        var fitted = ml.Fit([start], 100)!;
        var g = new double[ml.Parameters];
        Assert.True(ml.Evaluate(ml.Free(fitted), g) < ml.Evaluate(ml.Free(start), g));
        Assert.All(fitted.InverseSquaredLengthScales, w => Assert.InRange(w, 1e-4, 1e4));
        Assert.InRange(fitted.NoiseVariance, MarginalLikelihood.NoiseFloor * 0.999, 1);
    }

    [Fact]
    public void PosteriorGradients_MatchFiniteDifferences()
    {
        var (x, y, n) = Data(20, 2, 3);
        var h = new KernelHyperparameters([Math.Log(4), Math.Log(2)], 0, Math.Log(1e-3));
        var gp = GaussianProcess.Create(h, [false, false], x, n)!;
        gp.SetOutputs(y);
        double[] at = [0.37, 0.61];
        var gm = new double[2];
        var gv = new double[2];
        gp.PredictWithGradient(at, [true, true], gm, gv);
        for (var k = 0; k < 2; k++)
        {
            var plus = (double[])at.Clone();
            var minus = (double[])at.Clone();
            plus[k] += 1e-6;
            minus[k] -= 1e-6;
            var (mp, vp) = gp.Predict(plus);
            var (mm, vm) = gp.Predict(minus);
            Assert.Equal((mp - mm) / 2e-6, gm[k], 1e-5);
            Assert.Equal((vp - vm) / 2e-6, gv[k], 1e-5);
        }
    }

    [Fact]
    public void ExtendingTheFactor_GivesTheSamePosteriorAsRefactoring()
    {
        var (x, y, n) = Data(30, 2, 4);
        var h = new KernelHyperparameters([Math.Log(3), Math.Log(5)], 0.2, Math.Log(1e-4));
        var full = GaussianProcess.Create(h, [false, false], x, n)!;
        full.SetOutputs(y);
        var grown = GaussianProcess.Create(h, [false, false], x, 10)!;
        for (var i = 10; i < n; i++)
        {
            Assert.True(grown.TryAdd(x.AsSpan(i * 2, 2)));
        }

        grown.SetOutputs(y);
        foreach (var at in new[] { new[] { 0.1, 0.2 }, new[] { 0.8, 0.5 } })
        {
            var (m1, v1) = full.Predict(at);
            var (m2, v2) = grown.Predict(at);
            Assert.Equal(m1, m2, 1e-9);
            Assert.Equal(v1, v2, 1e-9);
        }
    }

    [Fact]
    public void PredictingInBlocks_MatchesPredictingOneByOne()
    {
        var (x, y, n) = Data(40, 3, 5);
        var h = new KernelHyperparameters([1, 0.5, 2], 0, Math.Log(1e-3));
        var gp = GaussianProcess.Create(h, [false, false, true], x, n)!;
        gp.SetOutputs(y);
        var (points, _, count) = Data(45, 3, 6);
        var means = new double[count];
        var variances = new double[count];
        gp.PredictMany(points, count, means, variances);
        for (var i = 0; i < count; i++)
        {
            var (m, v) = gp.Predict(points.AsSpan(i * 3, 3));
            Assert.Equal(m, means[i], 1e-9);
            Assert.Equal(v, variances[i], 1e-9);
        }
    }

    [Fact]
    public void DuplicatedPoints_WithoutNoise_AreFactoredWithJitter()
    {
        var x = new double[20 * 2];
        for (var i = 0; i < 20; i++)
        {
            x[i * 2] = 0.5;
            x[(i * 2) + 1] = 0.25;
        }

        var y = Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? 1.0 : -1.0).ToArray();
        var h = new KernelHyperparameters([0, 0], 0, Math.Log(1e-12));
        var gp = GaussianProcess.Create(h, [false, false], x, 20);
        Assert.NotNull(gp);
        gp.SetOutputs(y);
        var (mean, variance) = gp.Predict([0.1, 0.9]);
        Assert.True(double.IsFinite(mean) && double.IsFinite(variance) && variance > 0);

        var ml = new MarginalLikelihood(x, 20, y, [false, false], deterministic: true);
        var g = new double[ml.Parameters];
        Assert.True(double.IsFinite(ml.Evaluate(ml.Free(ml.Default()), g)));
        Assert.NotNull(ml.Fit([ml.Default()], 30));
    }

    [Fact]
    public void SearchSpace_EncodesOnTheGrid_AndDecodesBack()
    {
        var space = new GpSearchSpace(new SortedDictionary<string, Distribution>(StringComparer.Ordinal)
        {
            ["a"] = new FloatDistribution(1e-4, 1, log: true),
            ["b"] = new IntDistribution(2, 512, log: true),
            ["c"] = new CategoricalDistribution(["x", "y", "z"]),
            ["d"] = new FloatDistribution(0, 1, step: 0.25),
            ["e"] = new IntDistribution(-4, 8, step: 2),
        });
        Assert.Equal(0.5, space.Encode(0, 1e-2), 1e-12);
        Assert.Equal(1e-2, space.Decode(0, 0.5), 1e-12);
        foreach (var v in new[] { 2.0, 3, 100, 512 })
        {
            Assert.Equal(v, space.Decode(1, space.Encode(1, v)));
        }

        Assert.Equal(2, space.Decode(2, 2));
        Assert.Equal(0.75, space.Decode(3, space.Snap(3, 0.7)));
        Assert.Equal(6, space.Decode(4, space.Neighbour(4, space.Encode(4, 4), 1)!.Value));
        Assert.Null(space.Neighbour(4, space.Encode(4, 8), 1));
        Assert.Equal([GpDimensionKind.Continuous, GpDimensionKind.Discrete, GpDimensionKind.Categorical, GpDimensionKind.Discrete, GpDimensionKind.Discrete], space.Kinds);
        Assert.True(space.IsRelaxed[1]);
        Assert.False(space.IsRelaxed[4]);
    }

    [Fact]
    public void YeoJohnson_IsMonotone_AndPullsInAHeavyRightTail()
    {
        double[] y = [.. Enumerable.Range(0, 50).Select(i => Math.Exp(i / 8.0))];
        var lambda = YeoJohnson.FitLambda(y);
        Assert.True(lambda < 1, $"λ = {lambda}");
        for (var i = 1; i < y.Length; i++)
        {
            Assert.True(YeoJohnson.Transform(y[i], lambda) > YeoJohnson.Transform(y[i - 1], lambda));
        }

        Assert.True(YeoJohnson.Transform(-3, 0.5) < YeoJohnson.Transform(-2, 0.5));
    }
}
