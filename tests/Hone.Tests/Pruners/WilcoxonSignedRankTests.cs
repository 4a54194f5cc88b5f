using Hone.Pruners;

namespace Hone.Tests.Pruners;

/// <summary>p-values against scipy.stats.wilcoxon(d, alternative=..., zero_method="zsplit") of SciPy 1.10.1 (/usr/bin/python3).</summary>
public class WilcoxonSignedRankTests
{
    private static readonly double[] ExactN12 = [0.40123, 0.698746, 0.125862, -0.490592, -0.054671, -0.591647, 0.460144, 1.740215, -0.092207, -0.220475, 0.889842, 0.756887];

    private static readonly double[] ExactN50 =
    [
        0.305414, -0.730468, 0.170748, 0.895303, -1.144215, -0.257616, -1.701223, -1.089538, -1.641735, -0.035091, -1.067446, 0.471264, 0.356751,
        0.013069, -2.31676, -0.338693, 0.151499, 0.313309, -1.330136, -0.277753, -0.778519, -0.608837, 1.260899, -0.607535, 0.167478, 1.08439,
        -0.3836, 0.088298, 0.310464, 0.263782, -1.025056, 0.27614, 1.558823, -1.347145, 1.059383, 0.319354, -0.44147, 2.200417, 0.96226,
        -0.999289, 0.274516, 0.77669, 0.011218, 0.88291, 0.133483, 0.867248, 1.638523, -0.475662, 0.403139, -0.263308,
    ];

    private static readonly double[] TiesN60 =
    [
        0.4, -0.9, -0.3, 0.1, 1.2, 1.4, -1.0, -0.5, 0.9, -1.7, -0.2, 0.2, 1.6, 1.0, -0.0, -0.1, 0.0, 1.8, -0.1, -0.0, 0.7, 0.2, 0.1, -0.8, 0.3,
        -0.1, 1.5, 1.0, 0.3, 1.0, -0.0, 1.4, 0.3, 0.9, -1.0, 0.6, -1.4, -1.7, -0.0, -0.6, 0.5, 2.5, -0.5, -0.3, 0.5, 0.8, 0.1, 0.1, 1.0, 0.8,
        -0.7, 0.2, 0.3, -0.8, 0.6, -0.6, 1.3, 0.5, 0.4, -0.3,
    ];

    private static readonly double[] ApproxN80 =
    [
        -0.21861, -2.097746, -1.231407, 0.26284, -2.228567, 0.746609, -1.846096, 0.656739, -0.945497, 0.678991, 0.030951, -1.636835, 1.149149,
        1.341707, -0.165805, -0.373916, -0.259867, -1.075152, 0.998587, -0.642892, -0.15119, -0.893296, -0.726073, -1.377725, 1.157069, -0.254088,
        0.865922, -0.086675, -0.794404, -0.426685, -0.660231, -0.092041, -0.475267, -0.399922, -1.478575, -0.906846, 1.554058, -0.771233,
        -1.154094, 0.237326, 1.307272, -1.554024, -0.308522, -0.732053, -1.861019, 0.634927, -0.123444, -0.028558, -0.852311, 0.354784,
        -0.639297, -0.242903, -1.208261, -1.316103, 1.235532, -0.607105, 0.19168, -0.13379, -0.541145, -0.607961, 0.530083, -0.401868,
        -0.251444, -0.077778, 1.076508, 0.580511, 0.2826, -0.663571, -1.481969, 0.84953, 0.866447, -0.240708, 0.441884, 0.681443, 0.731184,
        0.821383, -0.555618, 1.414973, -1.346593, 0.761723,
    ];

    public static TheoryData<string, double[], double, double> ScipyVectors => new()
    {
        { "exact, n = 6", [1.5, -0.3, 2.2, 0.7, -1.1, 3.4], 0.109375, 0.921875 },
        { "exact, n = 12", ExactN12, 0.101806640625, 0.911865234375 },
        { "exact, n = 50", ExactN50, 0.5758777779303914, 0.4278741584397894 },
        { "zeros (normal approximation, zsplit)", [0.0, 1.0, -2.0, 3.0, 0.0, 4.5, -0.5, 2.5], 0.11668956998475127, 0.8833104300152488 },
        { "all zero", [0.0, 0.0, 0.0], 0.5, 0.5 },
        { "ties and zeros, n = 60", TiesN60, 0.02354521871412337, 0.9764547812858766 },
        { "normal approximation, n = 80", ApproxN80, 0.9658171786342823, 0.034182821365717736 },
        // SciPy with method="approx": Hone uses the approximation whenever |differences| tie.
        { "ties, n = 12", [1.0, 1.0, -2.0, 3.0, 3.0, 3.0, -1.0, 4.0, 2.0, 5.0, -0.5, 6.0], 0.010110470438853885, 0.9898895295611461 },
    };

    [Theory]
    [MemberData(nameof(ScipyVectors))]
    public void PValues_MatchScipy(string name, double[] differences, double greater, double less)
    {
        Assert.False(string.IsNullOrEmpty(name));
        Assert.Equal(greater, WilcoxonSignedRank.PValue(differences, greater: true), 1e-12);
        Assert.Equal(less, WilcoxonSignedRank.PValue(differences, greater: false), 1e-12);
    }

    [Fact]
    public void EmptySample_IsNaN() => Assert.True(double.IsNaN(WilcoxonSignedRank.PValue([], greater: true)));

    [Theory]
    [InlineData(0.1, 0.460172162722971)]
    [InlineData(0.5, 0.3085375387259869)]
    [InlineData(1.0, 0.15865525393145707)]
    [InlineData(1.9, 0.028716559816001803)]
    [InlineData(2.0, 0.022750131948179195)]
    [InlineData(2.1, 0.017864420562816542)]
    [InlineData(3.0, 0.0013498980316300933)]
    [InlineData(5.0, 2.866515718791933e-07)]
    [InlineData(8.0, 6.22096057427174e-16)]
    [InlineData(-1.3, 0.9031995154143897)]
    public void NormalSurvival_MatchesScipy(double z, double expected) =>
        Assert.Equal(expected, WilcoxonSignedRank.NormalSf(z), expected * 1e-12);
}
