using Hone.MLNet.Statistics;

namespace Hone.MLNet.Tests.Statistics;

public class BootstrapTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Mean_interval_contains_the_mean_and_lies_within_the_data(int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, 5).Select(_ => 0.9 + (0.1 * random.NextDouble())).ToArray();
        var (low, high) = Bootstrap.MeanInterval(values, 0.95, 5000, seed);
        Assert.InRange(values.Average(), low, high);
        Assert.True(low >= values.Min() && high <= values.Max());
        Assert.True(low < high);
    }

    [Fact]
    public void Interval_narrows_as_the_sample_grows()
    {
        var random = new Random(3);
        var small = Enumerable.Range(0, 10).Select(_ => random.NextDouble()).ToArray();
        var large = Enumerable.Range(0, 1000).Select(_ => random.NextDouble()).ToArray();
        var (l1, h1) = Bootstrap.MeanInterval(small, resamples: 2000);
        var (l2, h2) = Bootstrap.MeanInterval(large, resamples: 2000);
        Assert.True(h2 - l2 < (h1 - l1) / 3);
        Assert.InRange(0.5, l2 - 0.01, h2 + 0.01);
    }

    [Fact]
    public void Same_seed_gives_same_interval() =>
        Assert.Equal(Bootstrap.MeanInterval([1, 2, 3, 5], seed: 4), Bootstrap.MeanInterval([1, 2, 3, 5], seed: 4));

    [Fact]
    public void Summary_has_mean_sample_sd_and_interval()
    {
        var s = ScoreSummary.Of([0.9, 0.92, 0.94, 0.96, 0.98]);
        Assert.Equal(0.94, s.Mean, 12);
        Assert.Equal(Math.Sqrt(0.004 / 4), s.StandardDeviation, 12);
        Assert.InRange(s.Mean, s.CiLow, s.CiHigh);
    }
}
