using Hone.Samplers;
using Hone.Samplers.Tpe;

namespace Hone.Tests.Samplers.Tpe;

/// <summary>Test vectors computed with scipy.stats.truncnorm 1.10.1 (standard normal truncated to [a, b]).</summary>
public class TruncatedNormalTests
{
    [Theory]
    [InlineData(-1.0, 2.0, -0.7, -0.9637722388802099, 0.10177002982255956)]
    [InlineData(-1.0, 2.0, 0.5, -0.84377223888021, 0.6508804213366272)]
    [InlineData(-1.0, 2.0, 1.7000000000000002, -2.1637722388802105, 0.9733502634465708)]
    [InlineData(-5, -3, -4.8, -5.830999938607778, 0.0003754240573123691)]
    [InlineData(-5, -3, -4.0, -2.310999938607779, 0.023254538843535046)]
    [InlineData(-5, -3, -3.2, 0.5690000613922201, 0.5089252332136831)]
    [InlineData(3, 6, 3.3, 0.24378841916681093, 0.6418814623148309)]
    [InlineData(3, 6, 4.5, -4.436211580833189, 0.9974837440013967)]
    [InlineData(3, 6, 5.7, -10.556211580833192, 0.9999962932108235)]
    [InlineData(-0.2, 0.1, -0.17, 1.194507836460549, 0.09879099946619986)]
    [InlineData(-0.2, 0.1, -0.04999999999999999, 1.2077078364605491, 0.4981285217180047)]
    [InlineData(-0.2, 0.1, 0.07000000000000006, 1.206507836460549, 0.89986638044587)]
    [InlineData(0.0, 10.0, 1.0, -0.7257913526447274, 0.6826894921370859)]
    [InlineData(0.0, 10.0, 5.0, -12.725791352644727, 0.9999994266968563)]
    [InlineData(0.0, 10.0, 9.0, -40.72579135264473, 1.0)]
    [InlineData(-30, -29.5, -29.95, -9.99071358318588, 1.1874313421504934e-06)]
    [InlineData(-30, -29.5, -29.75, -4.020713583185909, 0.0006020106260307764)]
    [InlineData(-30, -29.5, -29.55, 1.9092864168140977, 0.2281069295498737)]
    [InlineData(-100, 0.5, -89.95, -4046.0512421179164, 0.0)]
    [InlineData(-100, 0.5, -49.75, -1238.081242117916, 0.0)]
    [InlineData(-100, 0.5, -9.549999999999997, -46.15124211791599, 9.37840420307014e-22)]
    [InlineData(0.001, 0.002, 0.0011, 6.907755840650086, 0.10000006149964019)]
    [InlineData(0.001, 0.002, 0.0015, 6.907755320650086, 0.5000001875006013)]
    [InlineData(0.001, 0.002, 0.0019000000000000002, 6.9077546406500865, 0.9000000735012205)]
    [InlineData(-8, 8, -6.4, -21.398938533204678, 7.768785372104031e-11)]
    [InlineData(-8, 8, 0.0, -0.9189385332046714, 0.5)]
    [InlineData(-8, 8, 6.4, -21.398938533204678, 0.9999999999223121)]
    public void LogPdfAndCdf_MatchScipy(double a, double b, double x, double logPdf, double cdf)
    {
        Assert.Equal(logPdf, TruncatedNormal.LogPdf(x, a, b), 1e-5 * Math.Max(1, Math.Abs(logPdf)));
        Assert.Equal(cdf, TruncatedNormal.Cdf(x, a, b), 1e-6 * Math.Max(1e-12, cdf) + 1e-300);
    }

    [Theory]
    [InlineData(-1.0, 2.0, 0.05, -0.8431045589489481)]
    [InlineData(-1.0, 2.0, 0.5, 0.17116391801782455)]
    [InlineData(-1.0, 2.0, 0.95, 1.524596682775977)]
    [InlineData(-5, -3, 0.05, -3.816178557293376)]
    [InlineData(-5, -3, 0.5, -3.2050938082099796)]
    [InlineData(-5, -3, 0.95, -3.01558564555864)]
    [InlineData(3, 6, 0.05, 3.0155890231208398)]
    [InlineData(3, 6, 0.5, 3.2051547102438587)]
    [InlineData(3, 6, 0.95, 3.817169056058019)]
    [InlineData(-0.2, 0.1, 0.05, -0.18479562973190913)]
    [InlineData(-0.2, 0.1, 0.5, -0.04944065740603939)]
    [InlineData(-0.2, 0.1, 0.95, 0.08501045348363981)]
    [InlineData(0.0, 10.0, 0.05, 0.0627067779432137)]
    [InlineData(0.0, 10.0, 0.5, 0.6744897501960817)]
    [InlineData(0.0, 10.0, 0.95, 1.959963984540054)]
    [InlineData(-30, -29.5, 0.05, -29.601260342240028)]
    [InlineData(-30, -29.5, 0.5, -29.523460288618736)]
    [InlineData(-30, -29.5, 0.95, -29.501736712982474)]
    [InlineData(-100, 0.5, 0.05, -1.8174630173247677)]
    [InlineData(-100, 0.5, 0.5, -0.3968711750895444)]
    [InlineData(-100, 0.5, 0.95, 0.40398829903814326)]
    [InlineData(0.001, 0.002, 0.05, 0.0010499999679380232)]
    [InlineData(0.001, 0.002, 0.5, 0.0014999998124998145)]
    [InlineData(0.001, 0.002, 0.95, 0.0019499999608115785)]
    [InlineData(-8, 8, 0.05, -1.6448536269514673)]
    [InlineData(-8, 8, 0.5, 2.782916424671767e-16)]
    [InlineData(-8, 8, 0.95, 1.6448536269514669)]
    public void Ppf_MatchesScipy(double a, double b, double q, double expected)
    {
        var x = TruncatedNormal.Ppf(q, a, b);
        Assert.InRange(x, a, b);
        Assert.Equal(expected, x, 1e-6 * Math.Max(1, Math.Abs(expected)) + (1e-6 * (b - a)));
    }

    [Theory]
    [InlineData(-1.0, 2.0, -0.20016629432446262)]
    [InlineData(-40.0, -39.0, -765.0831565643776)]
    [InlineData(39.0, 40.0, -765.0831565643776)]
    [InlineData(-3.0, -2.999, -12.325193603978551)]
    [InlineData(5.0, 5.01, -18.049021013275016)]
    [InlineData(-0.0001, 0.0001, -9.436131726286892)]
    [InlineData(-2.0, -1.0, -1.995798269180756)]
    public void LogGaussMass_IsAccurateInTheTailsAndOnNarrowCells(double a, double b, double expected)
    {
        Assert.Equal(expected, TruncatedNormal.LogGaussMass(a, b), 1e-6 * Math.Max(1, Math.Abs(expected)));
    }

    [Fact]
    public void LogGaussMass_OfAnEmptyInterval_IsMinusInfinity()
    {
        Assert.Equal(double.NegativeInfinity, TruncatedNormal.LogGaussMass(1, 1));
        Assert.Equal(double.NegativeInfinity, TruncatedNormal.LogGaussMass(2, 1));
    }

    [Fact]
    public void Sample_StaysInBounds_AndFollowsTheDistribution()
    {
        var rng = new SeededRandom(42);
        const int N = 20000;
        var below = 0;
        for (var i = 0; i < N; i++)
        {
            var x = TruncatedNormal.Sample(rng, mu: 1.0, sigma: 2.0, low: 0.0, high: 3.0);
            Assert.InRange(x, 0.0, 3.0);
            if (x < 1.0)
            {
                below++;
            }
        }

        // P(X < 1) for N(1, 2²) truncated to [0, 3]: cdf(0; -0.5, 1) = 0.35935 (scipy)
        var expected = TruncatedNormal.Cdf(0, -0.5, 1);
        Assert.Equal(0.35934660536774027, expected, 1e-6);
        Assert.Equal(expected, below / (double)N, 0.015);
    }
}
