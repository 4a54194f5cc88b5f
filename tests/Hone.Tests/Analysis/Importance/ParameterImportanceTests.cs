using Hone.Analysis.Importance;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;
using static Hone.Tests.Analysis.Importance.ImportanceStudies;

namespace Hone.Tests.Analysis.Importance;

public class ParameterImportanceTests
{
    public static TheoryData<ImportanceMethod> Methods => [ImportanceMethod.Fanova, ImportanceMethod.PedAnova, ImportanceMethod.MeanDecreaseImpurity];

    [Theory]
    [MemberData(nameof(Methods))]
    public void OnlyX0Matters_X0GetsMoreThanNinetyPercent(ImportanceMethod method)
    {
        var study = Random(Floats(5), 400, p => (p.X("x0") - 0.3) * (p.X("x0") - 0.3));

        var result = ParameterImportance.Evaluate(study, new ImportanceOptions { Method = method, Seed = 1 });

        Assert.Equal(method, result.Method);
        Assert.Equal(400, result.TrialCount);
        Assert.Equal(["x0", "x1", "x2", "x3", "x4"], result.Parameters.Select(p => p.Name).Order());
        Assert.Equal("x0", result.Parameters[0].Name);
        Assert.True(result["x0"].Importance > 0.9, $"{method}: {string.Join(", ", result.Parameters)}");
        Assert.Equal(1.0, result.Parameters.Sum(p => p.Importance), 9);
        Assert.All(result.Parameters, p => Assert.True(p.Spread >= 0 && double.IsFinite(p.Spread)));
    }

    [Fact]
    public void Fanova_AdditiveFunction_SharesMatchTheVarianceOfEachTerm()
    {
        // f = 3 g(x0) + g(x1) with g(x) = sin(2πx): Var = 9/2 and 1/2, so x0 explains 0.9 and x1 0.1; x2 nothing.
        static double G(double x) => Math.Sin(2 * Math.PI * x);
        var study = Random(Floats(3), 600, p => (3 * G(p.X("x0"))) + G(p.X("x1")));

        var result = ParameterImportance.Evaluate(study, new ImportanceOptions { Seed = 3 });

        Assert.Equal(["x0", "x1", "x2"], result.Parameters.Select(p => p.Name));
        Assert.InRange(result["x0"].Importance, 0.86, 0.94);
        Assert.InRange(result["x1"].Importance, 0.06, 0.14);
        Assert.InRange(result["x2"].Importance, 0, 0.02);
        Assert.InRange(result["x0"].VarianceFraction!.Value + result["x1"].VarianceFraction!.Value, 0.85, 1.0);
        Assert.All(result.Interactions, i => Assert.True(i.VarianceFraction < 0.05, i.ToString()));
    }

    [Fact]
    public void Fanova_PureInteraction_ThePairExplainsMostOfTheVariance()
    {
        var study = Random(Floats(3, -1, 1), 500, p => p.X("x0") * p.X("x1"));

        var result = ParameterImportance.Evaluate(study, new ImportanceOptions { Seed = 2 });

        var top = result.Interactions[0];
        Assert.Equal(("x0", "x1"), (top.First, top.Second));
        Assert.True(top.VarianceFraction > 0.6, top.ToString());
        Assert.True(top.VarianceFraction > 4 * result["x0"].VarianceFraction!.Value, string.Join(", ", result.Parameters.Select(p => p.VarianceFraction)));
        Assert.True(top.VarianceFraction > 4 * result["x1"].VarianceFraction!.Value);
        Assert.Equal(3, result.Interactions.Count);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Categorical_TheChoiceThatMattersIsFound(ImportanceMethod method)
    {
        // Every choice but "c" adds 5: Var = 25 · 3/16 ≈ 4.69 against Var(0.5 x) ≈ 0.021, so the categorical explains
        // 99.6%. PED-ANOVA looks at the best 20%, about as many trials as have "c", so x hardly matters among them.
        var space = new Dictionary<string, Distribution>
        {
            ["kind"] = new CategoricalDistribution(["a", "b", "c", "d"]),
            ["x"] = new FloatDistribution(0, 1),
            ["noise"] = new FloatDistribution(0, 1),
        };
        var study = Random(space, 300, p => ((string)p["kind"]! == "c" ? 0 : 5) + (0.5 * p.X("x")));

        var result = ParameterImportance.Evaluate(study, new ImportanceOptions { Method = method, Seed = 4, Quantile = 0.2 });

        Assert.Equal("kind", result.Parameters[0].Name);
        Assert.True(result["kind"].Importance > (method == ImportanceMethod.Fanova ? 0.97 : 0.8), string.Join(", ", result.Parameters));
    }

    [Fact]
    public void Fanova_LogParameter_IsAveragedInLogSpace()
    {
        // f = log10(x0) + x1 with x0 log-uniform in [1e-4, 1]: in log space Var = 16/12 against 1/12, a share of 16/17 ≈ 0.941
        // (averaged over [1e-4, 1] in linear space the share would be about 0.69).
        var space = new Dictionary<string, Distribution>
        {
            ["x0"] = new FloatDistribution(1e-4, 1, log: true),
            ["x1"] = new FloatDistribution(0, 1),
        };
        var study = Random(space, 500, p => Math.Log10(p.X("x0")) + p.X("x1"));

        var result = ParameterImportance.Evaluate(study, new ImportanceOptions { Seed = 5 });

        Assert.InRange(result["x0"].Importance, 16.0 / 17 - 0.03, 16.0 / 17 + 0.03);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void IntegerAndLogIntegerParameters_TheOneThatMattersWins(ImportanceMethod method)
    {
        var space = new Dictionary<string, Distribution>
        {
            ["layers"] = new IntDistribution(1, 8),
            ["units"] = new IntDistribution(1, 1024, log: true),
            ["step"] = new FloatDistribution(0, 1, step: 0.25),
        };
        var study = Random(space, 300, p => Math.Log2(p.X("units")) + (0.1 * p.X("layers")));

        var result = ParameterImportance.Evaluate(study, new ImportanceOptions { Method = method, Seed = 6 });

        Assert.Equal("units", result.Parameters[0].Name);
        Assert.True(result["units"].Importance > 0.8, string.Join(", ", result.Parameters));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void SameSeed_SameResult_OtherSeed_OtherResult(ImportanceMethod method)
    {
        var study = Random(Floats(4), 120, p => p.X("x0") + (0.5 * p.X("x1") * p.X("x2")));

        var a = ParameterImportance.Evaluate(study, new ImportanceOptions { Method = method, Seed = 7 });
        var b = ParameterImportance.Evaluate(study, new ImportanceOptions { Method = method, Seed = 7 });
        var c = ParameterImportance.Evaluate(study, new ImportanceOptions { Method = method, Seed = 8 });

        Assert.Equal(a.Parameters.Select(p => (p.Name, p.Importance, p.Spread)), b.Parameters.Select(p => (p.Name, p.Importance, p.Spread)));
        Assert.Equal(a.Interactions.Select(p => p.VarianceFraction), b.Interactions.Select(p => p.VarianceFraction));
        Assert.NotEqual(a.Parameters.Select(p => (p.Importance, p.Spread)), c.Parameters.Select(p => (p.Importance, p.Spread)));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void RandomFeatureSubsets_StillFindTheParameterThatMatters(ImportanceMethod method)
    {
        var study = Random(Floats(6), 300, p => (p.X("x0") - 0.3) * (p.X("x0") - 0.3));

        var subsets = ParameterImportance.Evaluate(study, new ImportanceOptions { Method = method, Seed = 1, FeatureFraction = 0.34 });
        var all = ParameterImportance.Evaluate(study, new ImportanceOptions { Method = method, Seed = 1 });

        Assert.Equal("x0", subsets.Parameters[0].Name);
        Assert.True(subsets["x0"].Importance > 0.8, string.Join(", ", subsets.Parameters));
        if (method != ImportanceMethod.PedAnova)
        {
            Assert.NotEqual(all["x0"].Importance, subsets["x0"].Importance);
        }
    }

    [Fact]
    public void PedAnova_BaselineQuantile_MeasuresImportanceWithinTheBestTrials()
    {
        // f = 10·[x0 > 0.5] + x1. Over all trials, reaching the best 40% is mostly x0 ≤ 0.5; within the best 50% (all of
        // which have x0 ≤ 0.5) only x1 tells the best 40% apart.
        var study = Random(Floats(2), 600, p => (p.X("x0") > 0.5 ? 10 : 0) + p.X("x1"));

        var global = ParameterImportance.Evaluate(study, new ImportanceOptions { Method = ImportanceMethod.PedAnova, Seed = 1, Quantile = 0.4 });
        var local = ParameterImportance.Evaluate(study, new ImportanceOptions { Method = ImportanceMethod.PedAnova, Seed = 1, Quantile = 0.4, BaselineQuantile = 0.5 });

        Assert.Equal("x0", global.Parameters[0].Name);
        Assert.Equal("x1", local.Parameters[0].Name);
        Assert.True(local["x1"].Importance > 0.8, string.Join(", ", local.Parameters));
    }

    [Fact]
    public void ConditionalParameter_OutsideTheIntersection_IsIgnored_UnlessNamed()
    {
        var study = Study.Create();
        var random = new Random(9);
        var withExtra = 0;
        for (var t = 0; t < 200; t++)
        {
            var x0 = random.NextDouble();
            var x1 = random.NextDouble();
            var parameters = new Dictionary<string, object?> { ["x0"] = x0, ["x1"] = x1 };
            var space = new Dictionary<string, Distribution> { ["x0"] = new FloatDistribution(0, 1), ["x1"] = new FloatDistribution(0, 1) };
            var value = x0;
            if (x0 > 0.5)
            {
                var extra = random.NextDouble();
                parameters["extra"] = extra;
                space["extra"] = new FloatDistribution(0, 1);
                value += 10 * extra;
                withExtra++;
            }

            study.AddTrial(FrozenTrial.Create(parameters, space, [value]));
        }

        study.AddTrial(FrozenTrial.Create(new Dictionary<string, object?> { ["x0"] = 0.1 }, new Dictionary<string, Distribution> { ["x0"] = new FloatDistribution(0, 1) }, null, TrialState.Fail));

        var all = ParameterImportance.Evaluate(study, new ImportanceOptions { Seed = 1 });
        var named = ParameterImportance.Evaluate(study, new ImportanceOptions { Seed = 1, Parameters = ["x0", "extra"] });

        Assert.Equal(["x0", "x1"], all.Parameters.Select(p => p.Name).Order());
        Assert.Equal(200, all.TrialCount);
        Assert.Equal(["extra", "x0"], named.Parameters.Select(p => p.Name));
        Assert.Equal(withExtra, named.TrialCount);
    }

    [Fact]
    public void MultiObjective_TheChosenObjectiveIsExplained()
    {
        var study = Random(Floats(3), 200, p => [p.X("x0"), 2 * p.X("x1")], directions: [StudyDirection.Minimize, StudyDirection.Maximize]);

        var first = ParameterImportance.Evaluate(study, new ImportanceOptions { Seed = 1, Objective = 0 });
        var second = ParameterImportance.Evaluate(study, new ImportanceOptions { Seed = 1, Objective = 1, Method = ImportanceMethod.PedAnova });

        Assert.Equal("x0", first.Parameters[0].Name);
        Assert.Equal("x1", second.Parameters[0].Name);
        Assert.Equal(1, second.Objective);
    }

    [Fact]
    public void PedAnova_UsesTheDirection_TheBestTrialsOfAMaximizedObjectiveAreTheLargest()
    {
        // Only large x0 reaches the top 10% when maximizing x0 + 0.5·1[x1 < 0.1]; minimizing, small x0 and x1 ≥ 0.1 do.
        // Either way x0 matters most, but the baseline-vs-top divergence of x1 differs: x1 < 0.1 is in the top
        // set only when maximizing.
        var space = Floats(2);
        var max = Random(space, 400, p => [p.X("x0") + (p.X("x1") < 0.1 ? 0.5 : 0)], directions: [StudyDirection.Maximize]);
        var min = Random(space, 400, p => [p.X("x0") + (p.X("x1") < 0.1 ? 0.5 : 0)], directions: [StudyDirection.Minimize]);
        var options = new ImportanceOptions { Method = ImportanceMethod.PedAnova, Seed = 1 };

        var maxResult = ParameterImportance.Evaluate(max, options);
        var minResult = ParameterImportance.Evaluate(min, options);

        Assert.True(maxResult["x1"].Importance > minResult["x1"].Importance, $"{maxResult["x1"]} vs {minResult["x1"]}");
    }

    [Fact]
    public void SingleValuedParameter_IsListedWithZero()
    {
        var space = new Dictionary<string, Distribution> { ["x0"] = new FloatDistribution(0, 1), ["fixed"] = new IntDistribution(3, 3) };

        var result = ParameterImportance.Evaluate(Random(space, 50, p => p.X("x0")), new ImportanceOptions { Seed = 1 });

        Assert.Equal(["x0", "fixed"], result.Parameters.Select(p => p.Name));
        Assert.Equal([1.0, 0.0], result.Parameters.Select(p => p.Importance));
    }

    [Fact]
    public void FewerThanTwoCompleteTrials_IsRefused()
    {
        var study = Random(Floats(2), 1, p => p.X("x0"));

        var e = Assert.Throws<ArgumentException>(() => ParameterImportance.Evaluate(study));

        Assert.Equal("study", e.ParamName);
        Assert.Contains("1 complete trial(s)", e.Message, StringComparison.Ordinal);
        Assert.Contains("at least 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownParameter_IsRefusedWithTheKnownOnes()
    {
        var study = Random(Floats(2), 10, p => p.X("x0"));

        var e = Assert.Throws<ArgumentException>(() => ParameterImportance.Evaluate(study, new ImportanceOptions { Parameters = ["x0", "lr"] }));

        Assert.Contains("ImportanceOptions.Parameters", e.Message, StringComparison.Ordinal);
        Assert.Contains("\"lr\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("x0, x1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidOptions_AreAllNamedInOneMessage()
    {
        var study = Random(Floats(2), 10, p => p.X("x0"));

        var e = Assert.Throws<ArgumentException>(() => ParameterImportance.Evaluate(study, new ImportanceOptions
        {
            Trees = 0, Quantile = 1.5, FeatureFraction = 0, Parameters = [],
        }));

        Assert.Equal("options", e.ParamName);
        foreach (var name in new[] { "ImportanceOptions.Trees", "ImportanceOptions.Quantile", "ImportanceOptions.FeatureFraction", "ImportanceOptions.Parameters" })
        {
            Assert.Contains(name, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ObjectiveOutOfRange_IsRefused()
    {
        var study = Random(Floats(2), 10, p => p.X("x0"));

        var e = Assert.Throws<ArgumentException>(() => ParameterImportance.Evaluate(study, new ImportanceOptions { Objective = 1 }));

        Assert.Contains("ImportanceOptions.Objective is 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConstantObjective_IsRefused()
    {
        var study = Random(Floats(2), 10, _ => 4.0);

        var e = Assert.Throws<ArgumentException>(() => ParameterImportance.Evaluate(study));

        Assert.Contains("same value", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParameterWhoseRangeChanged_IsRefusedWhenNamed()
    {
        var study = Study.Create();
        study.AddTrial(FrozenTrial.Create(new Dictionary<string, object?> { ["x"] = 0.5 }, new Dictionary<string, Distribution> { ["x"] = new FloatDistribution(0, 1) }, [1]));
        study.AddTrial(FrozenTrial.Create(new Dictionary<string, object?> { ["x"] = 1.5 }, new Dictionary<string, Distribution> { ["x"] = new FloatDistribution(0, 2) }, [2]));

        var named = Assert.Throws<ArgumentException>(() => ParameterImportance.Evaluate(study, new ImportanceOptions { Parameters = ["x"] }));
        var inferred = Assert.Throws<ArgumentException>(() => ParameterImportance.Evaluate(study));

        Assert.Contains("parameter \"x\" is FloatDistribution(low=0, high=1", named.Message, StringComparison.Ordinal);
        Assert.Contains("No parameter is in every complete trial", inferred.Message, StringComparison.Ordinal);
    }
}
