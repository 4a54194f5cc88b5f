using System.Diagnostics;
using Hone.Distributions;
using Hone.Samplers;
using Hone.Studies;

namespace Hone.Tests.Distributions;

public class LargeCategoricalTests
{
    private static string[] Choices(int n) => [.. Enumerable.Range(0, n).Select(i => "choice-" + i)];

    [Fact]
    public void HundredThousandChoices_ConstructAndSuggest_InWellUnderFiveSeconds()
    {
        var choices = Choices(100_000);
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(3) });
        var watch = Stopwatch.StartNew();
        var distribution = new CategoricalDistribution(choices);
        var seen = new List<string>();
        for (var t = 0; t < 2; t++)
        {
            var trial = study.Ask();
            seen.Add(trial.SuggestCategorical("c", choices));
            study.Tell(trial, t);
        }

        Assert.Equal(99_999, distribution.IndexOf("choice-99999"));
        watch.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.All(seen, s => Assert.Contains(s, choices));
    }

    [Fact]
    public void RepeatedChoice_AmongMany_IsFoundWithBothPositions()
    {
        var choices = Choices(50_000).Cast<object?>().Append("choice-123").ToArray();
        var problem = CategoricalDistribution.Problem(choices);
        Assert.NotNull(problem);
        Assert.Contains("#123 and #50000", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1L)]
    [InlineData(1, 1.0)]
    [InlineData(0.0, -0.0)]
    [InlineData(double.NaN, double.NaN)]
    public void NumbersEqualAsDoubles_AreOneChoice(object a, object b)
    {
        Assert.NotNull(CategoricalDistribution.Problem([a, b]));
        Assert.Equal(0, new CategoricalDistribution([a]).IndexOf(b));
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    [InlineData("True", true)]
    [InlineData(null, "")]
    [InlineData("a", "A")]
    public void ValuesOfDifferentKinds_AreDistinct(object? a, object? b)
    {
        Assert.Null(CategoricalDistribution.Problem([a, b]));
        var d = new CategoricalDistribution([a, b]);
        Assert.Equal(0, d.IndexOf(a));
        Assert.Equal(1, d.IndexOf(b));
    }

    [Fact]
    public void IndexOf_UnsupportedOrMissingValue_IsMinusOne()
    {
        var d = new CategoricalDistribution(["a", 1, null]);
        Assert.Equal(-1, d.IndexOf("b"));
        Assert.Equal(-1, d.IndexOf(DateTime.UnixEpoch));
        Assert.Equal(2, d.IndexOf(null));
        Assert.Equal(1, d.IndexOf((byte)1));
    }

    [Fact]
    public void Equality_FollowsTheChoiceRules_AndHashAgrees()
    {
        var a = new CategoricalDistribution([1, "x", true]);
        var b = new CategoricalDistribution([1L, "x", true]);
        var c = new CategoricalDistribution(["x", 1, true]);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.True(Distribution.AreCompatible(a, b));
        Assert.False(Distribution.AreCompatible(a, c));
    }

    [Fact]
    public void ChoicesChangingBetweenTrials_AreStillRefused_WithManyChoices()
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(1) });
        var choices = Choices(20_000);
        study.Ask().SuggestCategorical("c", choices);
        choices[19_999] = "other";
        var e = Assert.Throws<ArgumentException>(() => study.Ask().SuggestCategorical("c", choices));
        Assert.Contains("\"c\"", e.Message, StringComparison.Ordinal);
    }
}
