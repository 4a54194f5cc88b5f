using System.Text.Json;
using Hone.Pruners;
using Hone.Samplers.Tpe;
using Hone.Studies;
using Hone.Trials;
using static Hone.Tests.Pruners.PrunerHistory;

namespace Hone.Tests.Pruners;

public class HyperbandPrunerTests
{
    // Optuna 3.1's HyperbandPruner._get_bracket_id for trials 0..23 of a study with this name (computed with /usr/bin/python3).
    public static TheoryData<string, int, int, int, int, int[]> OptunaBrackets => new()
    {
        { "hb", 1, 27, 3, 4, [0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 3, 0, 3, 2, 0, 0, 1, 1, 0, 3, 1, 0, 1, 2] },
        { "bohb", 1, 100, 3, 5, [0, 2, 4, 0, 2, 1, 0, 0, 2, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0, 3, 0, 0, 0, 1] },
        { "x", 1, 243, 3, 5, [0, 0, 2, 0, 2, 0, 0, 2, 3, 1, 1, 0, 0, 4, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1] },
        { "y", 2, 64, 2, 6, [5, 0, 5, 2, 2, 2, 2, 0, 4, 2, 1, 0, 0, 0, 0, 2, 2, 1, 1, 2, 0, 1, 3, 0] },
    };

    [Theory]
    [MemberData(nameof(OptunaBrackets))]
    public void BracketAssignment_IsDeterministic_AndOptunas(string name, int min, int max, int eta, int brackets, int[] expected)
    {
        var pruner = new HyperbandPruner(new() { MinResource = min, MaxResource = max, ReductionFactor = eta });
        var study = NewStudy(pruner, name: name);
        Assert.Equal(brackets, pruner.BracketCount);
        Assert.Equal(expected, Enumerable.Range(0, expected.Length).Select(n => pruner.BracketOf(study, n)!.Value));

        var again = new HyperbandPruner(new() { MinResource = min, MaxResource = max, ReductionFactor = eta });
        Assert.Equal(expected, Enumerable.Range(0, expected.Length).Select(n => again.BracketOf(study, n)!.Value));
    }

    [Fact]
    public void BracketAssignment_IsBalancedAsHyperbandsBracketSizes()
    {
        // R = 27, η = 3: brackets of sizes ⌈4·3^s/(s+1)⌉ = 27, 12, 6, 4 (of 49).
        var pruner = new HyperbandPruner(new() { MaxResource = 27 });
        var study = NewStudy(pruner);
        var counts = new int[4];
        const int N = 20000;
        for (var n = 0; n < N; n++)
        {
            counts[pruner.BracketOf(study, n)!.Value]++;
        }

        int[] budgets = [27, 12, 6, 4];
        for (var b = 0; b < 4; b++)
        {
            Assert.InRange(counts[b] / (double)N, (budgets[b] / 49.0) - 0.015, (budgets[b] / 49.0) + 0.015);
        }
    }

    [Fact]
    public void AutomaticMaxResource_NoBracketsAndNoPruningUntilATrialCompletes()
    {
        var pruner = new HyperbandPruner();
        var study = NewStudy(pruner);
        Assert.Null(pruner.BracketCount);
        Assert.False(ReportAndAsk(study, (5, 1e9)));
        Assert.Null(pruner.BracketOf(study, 0));
        Assert.Same(study.GetTrials(), study.GetTrialsForSampling(study.Trials[0]));

        AddFinished(study, new Dictionary<int, double> { [26] = 1.0 });
        Assert.NotNull(pruner.BracketOf(study, 0));
        Assert.Equal(27, pruner.MaxResource);
        Assert.Equal(4, pruner.BracketCount);
    }

    [Fact]
    public void EachBracket_ComparesOnlyItsOwnTrials()
    {
        // η = 2, R = 4: brackets 0 (rungs at 1, 2, 4), 1 (rungs at 2, 4), 2 (rung at 4).
        var pruner = new HyperbandPruner(new() { MaxResource = 4, ReductionFactor = 2 });
        var study = NewStudy(pruner, name: "brackets");
        var numbers = Enumerable.Range(0, 200).ToArray();
        var inZero = numbers.Where(n => pruner.BracketOf(study, n) == 0).ToArray();
        var notZero = numbers.Where(n => pruner.BracketOf(study, n) != 0).ToArray();

        // Fill the study up to a trial number of bracket 0 (the one tested), with trials at rung 0:
        // excellent values outside bracket 0, poor ones inside it.
        var target = inZero.First(n => n > 20);
        for (var n = 0; n < target; n++)
        {
            var inside = pruner.BracketOf(study, n) == 0;
            var v = inside ? 10.0 + n : 0.001 * n;
            AddFinished(study, Steps(v, v), state: TrialState.Pruned,
                systemAttrs: new Dictionary<string, JsonElement> { ["completed_rung_0"] = JsonSerializer.SerializeToElement(v) });
        }

        var trial = study.Ask();
        Assert.Equal(target, trial.Number);

        // 5.0 is worse than every trial outside the bracket, but better than every trial inside it.
        trial.Report(5.0, 1);
        Assert.False(trial.ShouldPrune());
        Assert.Contains(notZero, n => n < target);

        var bracketTrials = study.GetTrialsForSampling(study.Trials[target]);
        Assert.All(bracketTrials, t => Assert.Equal(0, pruner.BracketOf(study, t.Number)));
        Assert.Equal(inZero.Count(n => n <= target), bracketTrials.Count);
    }

    [Fact]
    public void WorseTrialInItsBracket_IsPruned()
    {
        var pruner = new HyperbandPruner(new() { MaxResource = 4, ReductionFactor = 2 });
        var study = NewStudy(pruner, name: "brackets");
        var target = Enumerable.Range(21, 200).First(n => pruner.BracketOf(study, n) == 0);
        for (var n = 0; n < target; n++)
        {
            var v = pruner.BracketOf(study, n) == 0 ? 1.0 : 100.0;
            AddFinished(study, Steps(v, v), state: TrialState.Pruned,
                systemAttrs: new Dictionary<string, JsonElement> { ["completed_rung_0"] = JsonSerializer.SerializeToElement(v) });
        }

        Assert.True(ReportAndAsk(study, (1, 5.0)));
    }

    [Fact]
    public void TpeWithHyperband_LearnsOnlyFromTheBracket()
    {
        // Bracket 0's trials say x near 0.1 is good; every other bracket's trials say x near 0.9 is good.
        var pruner = new HyperbandPruner(new() { MaxResource = 9 });
        var study = NewStudy(pruner, name: "bohb", sampler: new TpeSampler(new() { Seed = 3, StartupTrials = 5 }));
        var rng = new Random(11);
        for (var n = 0; n < 300; n++)
        {
            var x = rng.NextDouble();
            var target = pruner.BracketOf(study, n) == 0 ? 0.1 : 0.9;
            study.AddTrial(FrozenTrial.Create(
                new Dictionary<string, object?> { ["x"] = x },
                new Dictionary<string, Hone.Distributions.Distribution> { ["x"] = new Hone.Distributions.FloatDistribution(0, 1) },
                [Math.Abs(x - target)]));
        }

        var inBracket = new List<double>();
        var outside = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var trial = study.Ask();
            var x = trial.SuggestFloat("x", 0, 1);
            (pruner.BracketOf(study, trial.Number) == 0 ? inBracket : outside).Add(x);
            var frozen = study.Trials[trial.Number];
            Assert.All(study.GetTrialsForSampling(frozen), t => Assert.Equal(pruner.BracketOf(study, trial.Number), pruner.BracketOf(study, t.Number)));
            study.Tell(trial, TrialState.Fail);
        }

        Assert.NotEmpty(inBracket);
        Assert.NotEmpty(outside);
        Assert.True(inBracket.Average() < 0.3, $"bracket 0 suggestions average {inBracket.Average()}");
        Assert.True(outside.Average() > 0.7, $"other brackets' suggestions average {outside.Average()}");
    }

    [Fact]
    public void StepsBeyondMaxResource_AreFurtherRungs()
    {
        var pruner = new HyperbandPruner(new() { MaxResource = 4, ReductionFactor = 2 });
        var study = NewStudy(pruner);
        var trial = study.Ask();
        trial.Report(1.0, 100);
        Assert.False(trial.ShouldPrune());
        Assert.True(SuccessiveHalvingPruner.CurrentRung(study.Trials[0]) >= 5);
    }

    [Fact]
    public void ParallelWorkers_WithTpe_FinishEveryTrial()
    {
        var study = NewStudy(new HyperbandPruner(new() { MaxResource = 27 }), sampler: new TpeSampler(new() { Seed = 1 }));
        study.Optimize(t =>
        {
            var x = t.SuggestFloat("x", -1, 1);
            for (var step = 0; step < 27; step++)
            {
                t.Report((x * x) + (1.0 / (step + 1)), step);
                if (t.ShouldPrune())
                {
                    throw new TrialPrunedException();
                }
            }

            return x * x;
        }, new OptimizeOptions { Trials = 80, Parallelism = 4 });

        Assert.DoesNotContain(study.Trials, t => t.State is TrialState.Running or TrialState.Fail);
        Assert.NotEmpty(study.GetTrials(TrialState.Pruned));
    }

    [Fact]
    public void BadOptions_AreAllNamedInOneMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => new HyperbandPruner(new() { MinResource = 0, MaxResource = -1, ReductionFactor = 1, BootstrapCount = -1 }));
        Assert.Contains("HyperbandPrunerOptions", e.Message, StringComparison.Ordinal);
        Assert.Contains("MinResource must be 1 or more, got 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("MaxResource must be at least MinResource (0) (or null for automatic), got -1", e.Message, StringComparison.Ordinal);
        Assert.Contains("ReductionFactor must be 2 or more, got 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("BootstrapCount must be 0 or more, got -1", e.Message, StringComparison.Ordinal);
    }
}
