using CsCheck;
using Hone.Distributions;

namespace Hone.Tests.Distributions;

public class DistributionJsonTests
{
    public static TheoryData<Distribution> All() =>
    [
        new FloatDistribution(0, 1),
        new FloatDistribution(1e-5, 0.3, log: true),
        new FloatDistribution(-1, 1, step: 0.25),
        new FloatDistribution(2, 2),
        new IntDistribution(0, 10),
        new IntDistribution(1, 1024, log: true),
        new IntDistribution(-6, 6, step: 3),
        new CategoricalDistribution(["a", "b"]),
        new CategoricalDistribution([1, 2.5, null, true, "x"]),
    ];

    [Theory]
    [MemberData(nameof(All))]
    public void RoundTrip_GivesAnEqualDistribution(Distribution d) => Assert.Equal(d, Distribution.FromJson(d.ToJson()));

    [Fact]
    public void Float_IsWrittenInOptunaFormat() =>
        Assert.Equal(
            """{"name":"FloatDistribution","attributes":{"step":null,"low":0.0,"high":1.0,"log":false}}""",
            new FloatDistribution(0, 1).ToJson());

    [Fact]
    public void Int_IsWrittenInOptunaFormat() =>
        Assert.Equal(
            """{"name":"IntDistribution","attributes":{"log":false,"step":1,"low":0,"high":10}}""",
            new IntDistribution(0, 10).ToJson());

    [Fact]
    public void Categorical_IsWrittenInOptunaFormat() =>
        Assert.Equal(
            """{"name":"CategoricalDistribution","attributes":{"choices":["a",1,2.5,null,true]}}""",
            new CategoricalDistribution(["a", 1, 2.5, null, true]).ToJson());

    [Theory]
    [InlineData("""{"name": "FloatDistribution", "attributes": {"step": null, "low": 0.0, "high": 1.0, "log": false}}""")]
    [InlineData("""{"name": "UniformDistribution", "attributes": {"low": 0.0, "high": 1.0}}""")]
    public void ReadsOptunaText(string json) => Assert.Equal(new FloatDistribution(0, 1), Distribution.FromJson(json));

    [Fact]
    public void ReadsLegacyNames()
    {
        Assert.Equal(new FloatDistribution(0.001, 1, log: true),
            Distribution.FromJson("""{"name": "LogUniformDistribution", "attributes": {"low": 0.001, "high": 1.0}}"""));
        Assert.Equal(new FloatDistribution(0, 1, step: 0.1),
            Distribution.FromJson("""{"name": "DiscreteUniformDistribution", "attributes": {"low": 0.0, "high": 1.0, "q": 0.1}}"""));
        Assert.Equal(new IntDistribution(0, 10, step: 2),
            Distribution.FromJson("""{"name": "IntUniformDistribution", "attributes": {"low": 0, "high": 10, "step": 2}}"""));
        Assert.Equal(new IntDistribution(1, 100, log: true),
            Distribution.FromJson("""{"name": "IntLogUniformDistribution", "attributes": {"low": 1, "high": 100, "step": 1}}"""));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"name": "GaussianDistribution", "attributes": {}}""")]
    [InlineData("""{"name": "FloatDistribution", "attributes": {"low": 2.0, "high": 1.0}}""")]
    [InlineData("""{"name": "FloatDistribution"}""")]
    public void BadJson_GivesFormatException(string json) => Assert.Throws<FormatException>(() => Distribution.FromJson(json));

    [Fact]
    public void RandomFloatDistributions_RoundTrip() =>
        Gen.Select(Gen.Double[-1e6, 1e6], Gen.Double[0, 1e6], Gen.Bool)
            .Sample((low, width, log) =>
            {
                var d = log ? new FloatDistribution(Math.Abs(low) + 1e-3, Math.Abs(low) + 1e-3 + width, log: true) : new FloatDistribution(low, low + width);
                return Distribution.FromJson(d.ToJson()) == d;
            });
}
