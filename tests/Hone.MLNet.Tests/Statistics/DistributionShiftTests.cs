using Hone.MLNet.Statistics;

namespace Hone.MLNet.Tests.Statistics;

/// <summary>Known answers (checked with SciPy 1.10's kstwobign and chi2) for the drift tests of <c>hone retune</c>.</summary>
public class DistributionShiftTests
{
    [Fact]
    public void Kolmogorov_smirnov_gives_the_largest_gap_and_the_corrected_asymptotic_p_value()
    {
        var (d, p) = DistributionShift.KolmogorovSmirnov([1, 2, 3, 4, 5], [3, 4, 5, 6, 7, 8]);
        Assert.Equal(0.5, d, 12);
        // λ = (√n + 0.12 + 0.11/√n)·D with n = 30/11: 0.919027; SciPy's kstwobign.sf(λ) = 0.367001.
        Assert.Equal(0.367001, p, 5);
    }

    [Fact]
    public void Chi_squared_of_a_two_by_two_table_matches_the_hand_computation()
    {
        var a = Enumerable.Repeat("x", 30).Concat(Enumerable.Repeat("y", 10)).ToList();
        var b = Enumerable.Repeat("x", 10).Concat(Enumerable.Repeat("y", 30)).ToList();
        var (chi, df, p) = DistributionShift.ChiSquared(a, b);
        Assert.Equal(20, chi, 9);
        Assert.Equal(1, df);
        Assert.Equal(7.744216e-6, p, 10);
    }

    [Fact]
    public void Holm_multiplies_by_the_remaining_count_and_keeps_the_order()
    {
        var adjusted = DistributionShift.Holm([0.01, 0.04, 0.03, 0.005]);
        Assert.Equal([0.03, 0.06, 0.06, 0.02], adjusted.Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void Compare_flags_the_moved_columns_only_and_picks_the_test_by_the_column()
    {
        var rng = new Random(4);
        string Normal(double mean) => (mean + (Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()))).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        IReadOnlyList<string> Column(int n, Func<int, string> cell) => Enumerable.Range(0, n).Select(cell).ToList();
        var reference = new Dictionary<string, IReadOnlyList<string>>
        {
            ["stable"] = Column(400, _ => Normal(0)),
            ["moved"] = Column(400, _ => Normal(0)),
            ["kind"] = Column(400, i => i % 4 == 0 ? "b" : "a"),
            ["count"] = Column(400, i => (i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ["only_old"] = Column(400, _ => "1"),
        };
        var current = new Dictionary<string, IReadOnlyList<string>>
        {
            ["stable"] = Column(300, _ => Normal(0)),
            ["moved"] = Column(300, _ => Normal(0.6)),
            ["kind"] = Column(300, i => i % 2 == 0 ? "b" : (i % 7 == 0 ? "" : "a")),
            ["count"] = Column(300, i => (i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };

        var shifts = DistributionShift.Compare(reference, current).ToDictionary(s => s.Column);

        Assert.Equal(4, shifts.Count);
        Assert.Equal("ks", shifts["moved"].Test);
        Assert.Equal("chi2", shifts["kind"].Test);
        Assert.Equal("chi2", shifts["count"].Test);
        Assert.True(shifts["moved"].Shifted);
        Assert.True(shifts["kind"].Shifted);
        Assert.False(shifts["stable"].Shifted);
        Assert.False(shifts["count"].Shifted);
        Assert.All(shifts.Values, s => Assert.True(s.AdjustedPValue >= s.PValue));
    }
}
