using Hone.Pruners;
using Hone.Studies;
using static Hone.Tests.Pruners.PrunerHistory;

namespace Hone.Tests.Pruners;

public class PercentilePrunerTests
{
    private static Study WithHistory(double percentile, StudyDirection direction)
    {
        var study = NewStudy(new PercentilePruner(new() { Percentile = percentile }), direction);
        foreach (var v in new[] { 1.0, 2.0, 3.0, 4.0, 5.0 })
        {
            AddFlat(study, v);
        }

        return study;
    }

    [Theory]
    [InlineData(25.0, 2.0, false)] // 25th percentile of 1..5 is 2.0
    [InlineData(25.0, 2.01, true)]
    [InlineData(10.0, 1.4, false)] // 10th percentile: 1.4 (linear interpolation)
    [InlineData(10.0, 1.41, true)]
    [InlineData(100.0, 5.0, false)]
    [InlineData(0.0, 1.0, false)]
    [InlineData(0.0, 1.01, true)]
    public void Minimize_KeepsTheBestPercentile(double percentile, double value, bool pruned) =>
        Assert.Equal(pruned, ReportAndAsk(WithHistory(percentile, StudyDirection.Minimize), (0, value)));

    [Theory]
    [InlineData(25.0, 4.0, false)] // maximizing: the 75th percentile, 4.0
    [InlineData(25.0, 3.99, true)]
    [InlineData(10.0, 4.6, false)]
    [InlineData(10.0, 4.59, true)]
    public void Maximize_KeepsTheBestPercentile(double percentile, double value, bool pruned) =>
        Assert.Equal(pruned, ReportAndAsk(WithHistory(percentile, StudyDirection.Maximize), (0, value)));

    [Fact]
    public void MedianPruner_IsThe50thPercentile()
    {
        var a = WithHistory(50, StudyDirection.Minimize);
        Assert.False(ReportAndAsk(a, (0, 3.0)));
        Assert.True(ReportAndAsk(a, (0, 3.01)));
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public void PercentileOutOfRange_IsRejected(double percentile)
    {
        var e = Assert.Throws<ArgumentException>(() => new PercentilePruner(new() { Percentile = percentile }));
        Assert.Contains("Percentile must be between 0 and 100", e.Message, StringComparison.Ordinal);
    }
}
