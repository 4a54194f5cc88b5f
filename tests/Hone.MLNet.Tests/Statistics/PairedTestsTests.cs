using Hone.MLNet.Statistics;

namespace Hone.MLNet.Tests.Statistics;

/// <summary>Reference values from scipy 1.10.1 (/usr/bin/python3): scipy.stats.wilcoxon(x, y) and scipy.stats.ttest_rel(x, y).</summary>
public class PairedTestsTests
{
    public static TheoryData<string, double[], double[], double, double, double, double> Cases()
    {
        var x = Enumerable.Range(0, 60).Select(i => Math.Sin(i)).ToArray();
        var y = Enumerable.Range(0, 60).Select(i => Math.Sin(i) + (0.1 * Math.Cos(3 * i)) + 0.02).ToArray();
        return new()
        {
            { "exact n=5", [0.95, 0.97, 0.96, 0.99, 0.98], [0.94, 0.95, 0.97, 0.96, 0.97], 2.0, 0.1875, 1.8090680674665818, 0.14470399860633032 },
            { "exact n=10", [1.2, 3.4, 2.2, 5.1, 0.3, 2.8, 4.4, 1.9, 3.3, 2.5], [1.0, 3.9, 2.0, 4.0, 0.1, 2.9, 3.1, 1.0, 3.05, 2.45], 9.0, 0.064453125, 2.019838647935423, 0.07414131053305505 },
            { "exact with tied ranks", [1, 2, 3, 4, 5, 6], [0.5, 1.5, 3.5, 3, 5.5, 5.25], 5.0, 0.3125, 1.1151927287850405, 0.31547876930108537 },
            { "a zero difference: normal approximation", [1, 2, 3, 4, 5, 6, 7], [1, 1.7, 3.4, 3.2, 4.1, 6.6, 5.0], 5.0, 0.24886387493792206, 1.2711407958211078, 0.2507328085483161 },
            { "n=60: normal approximation", x, y, 610.0, 0.024749591163795697, -2.3668144135341453, 0.021242600853640457 },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Wilcoxon_and_paired_t_match_scipy(string name, double[] x, double[] y, double w, double wp, double t, double tp)
    {
        var wilcoxon = PairedTests.Wilcoxon(x, y);
        var paired = PairedTests.PairedT(x, y);
        Assert.True(Math.Abs(wilcoxon.Statistic - w) < 1e-9, $"{name}: W {wilcoxon.Statistic} vs {w}");
        Assert.True(Math.Abs(wilcoxon.PValue - wp) < 1e-9, $"{name}: Wilcoxon p {wilcoxon.PValue} vs {wp}");
        Assert.True(Math.Abs(paired.Statistic - t) < 1e-9, $"{name}: t {paired.Statistic} vs {t}");
        Assert.True(Math.Abs(paired.PValue - tp) < 1e-9, $"{name}: t p {paired.PValue} vs {tp}");
    }

    [Fact]
    public void Unequal_lengths_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => PairedTests.Wilcoxon([1, 2], [1]));
    }

    [Fact]
    public void Identical_samples_give_no_evidence()
    {
        Assert.Equal(1, PairedTests.Wilcoxon([1, 2, 3], [1, 2, 3]).PValue);
        Assert.True(double.IsNaN(PairedTests.PairedT([1, 2, 3], [1, 2, 3]).PValue));
    }
}
