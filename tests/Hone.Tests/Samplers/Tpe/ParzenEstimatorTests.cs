using Hone.Distributions;
using Hone.Samplers;
using Hone.Samplers.Tpe;

namespace Hone.Tests.Samplers.Tpe;

public class ParzenEstimatorTests
{
    private static readonly TpeDimension[] Square =
    [
        new("x", new FloatDistribution(0, 1)),
        new("y", new FloatDistribution(0, 1)),
    ];

    private static ParzenEstimator Fit(bool considerPrior)
    {
        // Ten observations clustered at (0.2, 0.2).
        var xs = Enumerable.Range(0, 10).Select(i => 0.2 + (0.001 * i)).ToArray();
        var weights = Enumerable.Repeat(1.0, 10).ToArray();
        return new ParzenEstimator(Square, [xs, [.. xs]], weights, new ParzenSettings(considerPrior, 1.0, true, false, true));
    }

    private static double LogPdf(ParzenEstimator estimator, double x, double y)
    {
        var result = new double[1];
        estimator.LogPdf([x, y], 1, result);
        return result[0];
    }

    [Fact]
    public void Multivariate_KernelsAreSmoothedByThePrior_OneCoordinateAtATime()
    {
        var l = Fit(considerPrior: true);

        // ε = 1 / 12 per coordinate: moving one coordinate away from the cluster costs about log ε plus the kernel's
        // peak height, moving both costs it twice; without smoothing both would be the prior's alone.
        var home = LogPdf(l, 0.2, 0.2);
        var oneMoved = LogPdf(l, 0.8, 0.2);
        var bothMoved = LogPdf(l, 0.8, 0.8);
        Assert.True(oneMoved > bothMoved + 1.5, $"one coordinate moved {oneMoved}, both {bothMoved}");
        Assert.True(home > oneMoved + 1.5, $"home {home}, one coordinate moved {oneMoved}");
    }

    [Fact]
    public void Multivariate_WithoutPrior_HasNoSmoothing()
    {
        var l = Fit(considerPrior: false);
        Assert.True(LogPdf(l, 0.8, 0.2) < -100);
    }

    [Fact]
    public void Multivariate_Samples_SomeCoordinatesFromThePrior_AndStayInRange()
    {
        var l = Fit(considerPrior: true);
        var points = new double[2000 * 2];
        l.Sample(new SeededRandom(7UL), 2000, points);
        Assert.All(points, v => Assert.InRange(v, 0, 1));
        var far = points.Count(v => Math.Abs(v - 0.2) > 0.3);
        // The prior component (1/11 of draws) and ε = 1/12 per coordinate both send coordinates far from 0.2.
        Assert.InRange(far, 150, 900);
    }

    [Fact]
    public void LogScaledIntegers_AreContinuousInLogSpace_AndRoundedOnTheWayBack()
    {
        var dim = new TpeDimension("units", new IntDistribution(8, 1024, log: true));
        Assert.Equal(TpeKernel.Continuous, dim.Kernel);
        Assert.Equal(Math.Log(7.5), dim.Low, 12);
        Assert.Equal(Math.Log(1024.5), dim.High, 12);
        Assert.Equal(8, dim.FromKernelSpace(dim.Low));
        Assert.Equal(1024, dim.FromKernelSpace(dim.High));
        Assert.Equal(100, dim.FromKernelSpace(Math.Log(100.4)));
        Assert.Equal(Math.Log(100), dim.ToKernelSpace(100), 12);
    }
}
