using Hone.Distributions;
using Hone.Studies;

namespace Hone.Tests.Distributions;

public class DistributionRulesTests
{
    private static Trials.Trial NewTrial() => Study.Create().Ask();

    [Fact]
    public void SuggestFloat_LowAboveHigh_NamesParameterAndRule()
    {
        var e = Assert.Throws<ArgumentException>(() => NewTrial().SuggestFloat("lr", 2, 1));
        Assert.Contains("\"lr\"", e.Message);
        Assert.Contains("low must not exceed high", e.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    public void SuggestFloat_LogWithNonPositiveLow_IsRejected(double low)
    {
        var e = Assert.Throws<ArgumentException>(() => NewTrial().SuggestFloat("lr", low, 1, log: true));
        Assert.Contains("\"lr\"", e.Message);
        Assert.Contains("log=true needs low > 0", e.Message);
    }

    [Fact]
    public void SuggestFloat_LogWithStep_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => NewTrial().SuggestFloat("x", 1, 10, log: true, step: 1));
        Assert.Contains("cannot be combined with a step", e.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void SuggestFloat_NonPositiveStep_IsRejected(double step)
    {
        var e = Assert.Throws<ArgumentException>(() => NewTrial().SuggestFloat("x", 0, 1, step: step));
        Assert.Contains("step must be a positive", e.Message);
    }

    [Fact]
    public void SuggestFloat_StepNotDividingRange_SaysWhatHighWouldBe()
    {
        var e = Assert.Throws<ArgumentException>(() => NewTrial().SuggestFloat("x", 0, 1, step: 0.3));
        Assert.Contains("does not divide the range", e.Message);
        Assert.Contains("0.9", e.Message);
        Assert.Contains("1.2", e.Message);
    }

    [Fact]
    public void SuggestInt_StepNotDividingRange_SaysWhatHighWouldBe()
    {
        var e = Assert.Throws<ArgumentException>(() => NewTrial().SuggestInt("n", 0, 10, step: 3));
        Assert.Contains("\"n\"", e.Message);
        Assert.Contains("high would have to be 9 or 12", e.Message);
    }

    [Theory]
    [InlineData(double.NaN, 1.0)]
    [InlineData(0.0, double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity, 0.0)]
    public void SuggestFloat_NonFiniteBounds_AreRejected(double low, double high)
    {
        var e = Assert.Throws<ArgumentException>(() => NewTrial().SuggestFloat("x", low, high));
        Assert.Contains("must be finite", e.Message);
    }

    [Fact]
    public void SuggestInt_Rules()
    {
        Assert.Contains("low must not exceed high", Assert.Throws<ArgumentException>(() => NewTrial().SuggestInt("n", 5, 1)).Message);
        Assert.Contains("log=true needs low >= 1", Assert.Throws<ArgumentException>(() => NewTrial().SuggestInt("n", 0, 8, log: true)).Message);
        Assert.Contains("step must be a positive", Assert.Throws<ArgumentException>(() => NewTrial().SuggestInt("n", 0, 8, step: 0)).Message);
        Assert.Contains("cannot be combined", Assert.Throws<ArgumentException>(() => NewTrial().SuggestInt("n", 1, 9, log: true, step: 2)).Message);
    }

    [Fact]
    public void SuggestCategorical_EmptyOrDuplicateChoices_AreRejected()
    {
        var empty = Assert.Throws<ArgumentException>(() => NewTrial().SuggestCategorical<string>("c", []));
        Assert.Contains("\"c\"", empty.Message);
        Assert.Contains("must not be empty", empty.Message);
        var dup = Assert.Throws<ArgumentException>(() => NewTrial().SuggestCategorical("c", ["a", "b", "a"]));
        Assert.Contains("distinct", dup.Message);
        Assert.Contains("\"a\" appears at #0 and #2", dup.Message);
    }

    [Fact]
    public void SuggestCategorical_UnsupportedChoiceType_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => NewTrial().SuggestCategorical<object>("c", [new object()]));
        Assert.Contains("strings, numbers, booleans or null", e.Message);
    }

    [Fact]
    public void SuggestCategorical_AcceptsStringsNumbersBooleansAndNull()
    {
        var t = NewTrial();
        Assert.Contains(t.SuggestCategorical("s", ["a", null]), new[] { "a", null });
        Assert.Contains(t.SuggestCategorical("b", [true, false]), new[] { true, false });
        Assert.Contains(t.SuggestCategorical("i", [1, 2, 3]), new[] { 1, 2, 3 });
        Assert.Contains(t.SuggestCategorical<object?>("m", [1, "one", 1.5, null, true]), new object?[] { 1, "one", 1.5, null, true });
    }

    [Fact]
    public void SameNameTwice_ReturnsTheSameValue()
    {
        var t = NewTrial();
        var x = t.SuggestFloat("x", 0, 1);
        Assert.Equal(x, t.SuggestFloat("x", 0, 1));
        var n = t.SuggestInt("n", 0, 100);
        Assert.Equal(n, t.SuggestInt("n", 0, 100));
        var c = t.SuggestCategorical("c", ["a", "b", "c"]);
        Assert.Equal(c, t.SuggestCategorical("c", ["a", "b", "c"]));
    }

    [Fact]
    public void SameNameWithAnotherDistribution_NamesBothDistributions()
    {
        var t = NewTrial();
        t.SuggestFloat("x", 0, 1);
        var e = Assert.Throws<ArgumentException>(() => t.SuggestFloat("x", 0, 2));
        Assert.Contains("FloatDistribution(low=0, high=1", e.Message);
        Assert.Contains("FloatDistribution(low=0, high=2", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => t.SuggestInt("x", 0, 1));
        Assert.Contains("IntDistribution(low=0, high=1", e2.Message);
    }

    [Fact]
    public void CategoricalChoicesChangingAcrossTrials_IsAnError()
    {
        var study = Study.Create();
        study.Ask().SuggestCategorical("c", ["a", "b"]);
        var e = Assert.Throws<ArgumentException>(() => study.Ask().SuggestCategorical("c", ["a", "b", "c"]));
        Assert.Contains("earlier trials", e.Message);
    }

    [Theory]
    [InlineData(0.0, 1.0, 0.25, 0.5, true)]
    [InlineData(0.0, 1.0, 0.25, 0.3, false)]
    [InlineData(0.0, 1.0, 0.25, 1.25, false)]
    public void FloatDistribution_Contains_RespectsStep(double low, double high, double step, double x, bool expected) =>
        Assert.Equal(expected, new FloatDistribution(low, high, step: step).Contains(x));

    [Fact]
    public void ExternalInternalMapping_RoundTrips()
    {
        var c = new CategoricalDistribution(["a", 2, null, true]);
        Assert.Equal(1.0, c.ToInternal(2L));
        Assert.Equal(2.0, c.ToInternal(null));
        Assert.Equal("a", c.ToExternal(0));
        var i = new IntDistribution(1, 10);
        Assert.Equal(7, i.ToExternal(i.ToInternal(7)));
        Assert.Throws<ArgumentException>(() => i.ToInternal(2.5));
        Assert.Throws<ArgumentException>(() => c.ToInternal("zzz"));
    }
}
