using System.Diagnostics;
using Hone.Distributions;
using Hone.Samplers;
using Hone.Studies;

namespace Hone.Tests.Samplers;

public class EnumerationLimitTests
{
    [Fact]
    public void BruteForce_HugeIntRange_IsRefusedQuickly_NamingParameterCountAndLimit()
    {
        var study = Study.Create(new StudyOptions { Sampler = new BruteForceSampler(1) });
        var watch = Stopwatch.StartNew();
        var e = Assert.ThrowsAny<Exception>(() => study.Ask().SuggestInt("n", 0, 100_000_000));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.True(e is SamplerException or ArgumentException, e.ToString());
        Assert.Contains("\"n\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("100000001", e.Message, StringComparison.Ordinal);
        Assert.Contains("1,000,000", e.Message, StringComparison.Ordinal);
        Assert.Contains("another sampler", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BruteForce_FloatGridOf1e15Points_IsRefused()
    {
        var study = Study.Create(new StudyOptions { Sampler = new BruteForceSampler(1) });
        var e = Assert.ThrowsAny<Exception>(() => study.Ask().SuggestFloat("x", 0, 1e15, step: 1));
        Assert.Contains("\"x\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BruteForce_RangeAtTheLimit_IsEnumerated()
    {
        Assert.Null(BruteForceSampler.Problem("n", new IntDistribution(1, (int)BruteForceSampler.MaxValuesPerParameter)));
        Assert.NotNull(BruteForceSampler.Problem("n", new IntDistribution(0, (int)BruteForceSampler.MaxValuesPerParameter)));
        Assert.NotNull(BruteForceSampler.Problem("x", new FloatDistribution(0, 1)));
    }

    [Fact]
    public void Grid_BeyondTheLimit_IsRefusedAtConstruction()
    {
        var values = Enumerable.Range(0, 10_000).Select(i => (object?)i).ToList();
        var e = Assert.Throws<ArgumentException>(() => new GridSampler(new Dictionary<string, IReadOnlyList<object?>> { ["a"] = values, ["b"] = values }));
        Assert.Contains("1E+08 points", e.Message, StringComparison.Ordinal);
        Assert.Contains("10000000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Grid_AtTheLimit_IsAccepted()
    {
        var a = Enumerable.Range(0, 10_000).Select(i => (object?)i).ToList();
        var b = Enumerable.Range(0, 1_000).Select(i => (object?)i).ToList();
        Assert.Equal(GridSampler.MaxGridSize, new GridSampler(new Dictionary<string, IReadOnlyList<object?>> { ["a"] = a, ["b"] = b }).GridSize);
    }
}
