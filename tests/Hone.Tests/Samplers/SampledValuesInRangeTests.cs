using CsCheck;
using Hone.Distributions;
using Hone.Samplers;
using Hone.Samplers.Qmc;
using Hone.Samplers.Tpe;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Samplers;

/// <summary>
/// Every sampler returns values inside the distribution asked for, across random valid distributions that include
/// extreme ones (bounds near ±1.8e308, tiny steps, 2^53 steps, subnormal log ranges).
/// </summary>
public class SampledValuesInRangeTests
{
    private static readonly double[] Edges =
    [
        0, -0.0, 1, -1, 8.5, -9.41, 1e-300, -1e-300, double.Epsilon, 1e-9, 0.1, 1e6, -1e6, 1e15, 1e300, -1e300,
        1e308, -1e308, double.MaxValue / 2, -double.MaxValue / 2, double.MaxValue, -double.MaxValue,
    ];

    private static readonly Gen<double> Number = Gen.OneOf(Gen.OneOf(Edges), Gen.Double, Gen.Double[-10, 10]);

    private static readonly Gen<double> Magnitude = Gen.OneOf(
        Gen.OneOf(1e-300, 1e-9, 0.5, 1, 3, 1e15, 1e300, 1e308, double.MaxValue, double.Epsilon),
        Gen.Double[0, 1e3],
        Gen.Int[-320, 308].Select(e => Math.Pow(10, e)));

    private static readonly Gen<double> StepCount = Gen.OneOf(
        Gen.OneOf(0.0, 1, 2, 1e6, FloatDistribution.MaxSteps, FloatDistribution.MaxSteps * 2),
        Gen.Int[0, 1000].Select(i => (double)i));

    private static readonly Gen<int> IntEdge = Gen.OneOf(
        Gen.OneOf(int.MinValue, int.MinValue + 1, -1, 0, 1, 2, int.MaxValue - 1, int.MaxValue, 100_000_000), Gen.Int, Gen.Int[-20, 20]);

    /// <summary>Valid distributions only: a generated one that breaks a rule is replaced by [0, 1].</summary>
    public static readonly Gen<Distribution> Distributions = Gen.Frequency(
        (3, Gen.Select(Number, Magnitude).Select((low, width) => Float(low, low + width, false, null))),
        (2, Gen.Select(Magnitude, Magnitude).Select((low, factor) => Float(low, low * (1 + factor), true, null))),
        (3, Gen.Select(Number, Magnitude, StepCount).Select((low, step, n) => Float(low, low + (n * step), false, step))),
        (2, Gen.Select(IntEdge, IntEdge, Gen.OneOf(Gen.Int[1, 10], IntEdge), Gen.Bool).Select((a, b, step, log) => Int(a, b, log, step))),
        (1, Gen.Int[1, 30].Select(n => (Distribution)new CategoricalDistribution([.. Enumerable.Range(0, n).Select(i => (object?)("c" + i))]))));

    private static Distribution Float(double low, double high, bool log, double? step) =>
        FloatDistribution.Problem(low, high, log, step) is null ? new FloatDistribution(low, high, log, step) : new FloatDistribution(0, 1);

    private static Distribution Int(int a, int b, bool log, int step)
    {
        var (low, high) = a <= b ? (a, b) : (b, a);
        if (step > 0 && !log)
        {
            high = (int)(low + ((((long)high - low) / step) * step));
        }

        return IntDistribution.Problem(low, high, log, step) is null ? new IntDistribution(low, high, log, step) : new IntDistribution(0, 10);
    }

    private static object? Suggest(Trial t, string name, Distribution d) => d switch
    {
        FloatDistribution f => t.SuggestFloat(name, f.Low, f.High, f.Log, f.Step),
        IntDistribution i => t.SuggestInt(name, i.Low, i.High, i.Log, i.Step),
        CategoricalDistribution c => t.SuggestCategorical(name, c.Choices),
        _ => throw new ArgumentException("unknown distribution", nameof(d)),
    };

    /// <summary>Runs a few trials with two parameters of the distributions; returns the first value outside its distribution.</summary>
    internal static string? FirstOutside(ISampler sampler, Distribution a, Distribution b, int trials)
    {
        var study = Study.Create(new StudyOptions { Sampler = sampler });
        for (var n = 0; n < trials; n++)
        {
            var trial = study.Ask();
            Suggest(trial, "a", a);
            Suggest(trial, "b", b);
            study.Tell(trial, (n * 7919 % 13) - 6.5);
        }

        foreach (var t in study.Trials)
        {
            foreach (var (name, d) in t.Distributions)
            {
                var x = t.InternalParams[name];
                if (!d.Contains(x))
                {
                    return $"{sampler.GetType().Name}, trial #{t.Number}: {name} = {x:R} lies outside {d}";
                }
            }
        }

        return null;
    }

    private static void Check(Func<long, ISampler> sampler, int trials, long iterations = 150) =>
        Gen.Select(Distributions, Distributions, Gen.Long)
            .Sample((a, b, seed) => FirstOutside(sampler(seed), a, b, trials) is null, iter: iterations, seed: "0N0XIzNsQ0O2", threads: 1,
                print: t => $"{t.Item1} / {t.Item2} / seed {t.Item3}: {FirstOutside(sampler(t.Item3), t.Item1, t.Item2, trials)}");

    [Fact]
    public void Random_StaysInRange() => Check(seed => new RandomSampler(seed), trials: 6);

    [Fact]
    public void Sobol_StaysInRange() => Check(seed => new QmcSampler(new() { Seed = seed }), trials: 6);

    [Fact]
    public void Halton_StaysInRange() => Check(seed => new QmcSampler(new() { Seed = seed, QmcType = QmcType.Halton }), trials: 6);

    [Fact]
    public void Tpe_AfterStartupTrials_StaysInRange() =>
        Check(seed => new TpeSampler(new() { Seed = seed, StartupTrials = 3 }), trials: 10);

    [Fact]
    public void TpeIndependent_AfterStartupTrials_StaysInRange() =>
        Check(seed => new TpeSampler(new() { Seed = seed, StartupTrials = 3, Multivariate = false }), trials: 10);

    [Fact]
    public void BruteForce_StaysInRange_WhereItCanEnumerate() =>
        Gen.Select(Distributions, Distributions, Gen.Long)
            .Where((a, b, _) => BruteForceSampler.Problem("a", a) is null && BruteForceSampler.Problem("b", b) is null)
            .Sample((a, b, seed) => FirstOutside(new BruteForceSampler(seed), a, b, 4) is null, iter: 100, seed: "0N0XIzNsQ0O2", threads: 1);

    /// <summary>Grid values a user could list for a distribution: its ends and points spread over it, as the user sees them.</summary>
    private static List<object?> GridValues(Distribution d)
    {
        var count = DistributionSampling.Cardinality(d);
        var internals = count is { } n
            ? Enumerable.Range(0, (int)Math.Min(n, 20)).Select(i => DistributionSampling.NthValue(d, n <= 20 ? i : (long)((n - 1) * (i / 19.0))))
            : new[] { 0.0, 0.25, 0.5, 0.999, 1.0 }.Select(u => DistributionSampling.FromUnit(d, Math.Min(u, 0.9999999999999999)));
        return [.. internals.Select(d.ToExternal).Distinct()];
    }

    [Fact]
    public void Grid_StaysInRange_WithValuesTakenFromTheDistribution() =>
        Gen.Select(Distributions, Distributions, Gen.Long)
            .Sample((a, b, seed) =>
            {
                var grid = new Dictionary<string, IReadOnlyList<object?>> { ["a"] = GridValues(a), ["b"] = GridValues(b) };
                return FirstOutside(new GridSampler(grid, seed), a, b, 5) is null;
            }, iter: 100, seed: "0N0XIzNsQ0O2", threads: 1);

    [Theory]
    [InlineData(1e-9, 1.797e308, 0.5)]
    [InlineData(0, 8.5, 1e-300)]
    [InlineData(-1.797e308, 1e308, double.NaN)]
    [InlineData(-1e308, -9.41, 1e308)]
    public void RangesFromTheIssue_AreRefused_WithTheRule(double low, double high, double step)
    {
        var problem = FloatDistribution.Problem(low, high, false, double.IsNaN(step) ? null : step);
        Assert.NotNull(problem);
        var e = Assert.Throws<ArgumentException>(() => Study.Create().Ask().SuggestFloat("x", low, high, step: double.IsNaN(step) ? null : step));
        Assert.Contains("\"x\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManySteps_SaysTheLimit()
    {
        var problem = FloatDistribution.Problem(0, 8.5, false, 1e-300);
        Assert.Contains("2^53", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TooWideRange_SaysTheLargestDouble()
    {
        var problem = FloatDistribution.Problem(-1.797e308, 1e308, false, null);
        Assert.Contains("too wide", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void HighOffTheGridOfAHugeStep_IsRefused()
    {
        var problem = FloatDistribution.Problem(-1e308, -9.41, false, 1e308);
        Assert.NotNull(problem);
    }

    [Fact]
    public void StepsUpToTheLimit_AreAllowed_AndSampledInRange()
    {
        var d = new FloatDistribution(0, FloatDistribution.MaxSteps, step: 1);
        Assert.Null(FirstOutside(new RandomSampler(1), d, d, 5));
        Assert.Null(FirstOutside(new TpeSampler(new() { Seed = 1, StartupTrials = 2 }), d, d, 8));
    }
}
