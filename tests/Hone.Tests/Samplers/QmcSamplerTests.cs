using System.Collections.Concurrent;
using System.Globalization;
using Hone.Distributions;
using Hone.Samplers;
using Hone.Samplers.Qmc;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Samplers;

public class QmcSamplerTests
{
    private static double[] Point(SobolSequence sequence, long index)
    {
        var point = new double[sequence.Dimension];
        sequence.Point(index, point);
        return point;
    }

    private static double[] Point(HaltonSequence sequence, long index)
    {
        var point = new double[sequence.Dimension];
        sequence.Point(index, point);
        return point;
    }

    private static long QmcId(FrozenTrial trial) => trial.SystemAttrs[QmcSampler.QmcIdKey].GetInt64();

    [Fact]
    public void Sobol_Unscrambled_FirstPoints_AreTheTextbookOnes()
    {
        // Point n XORs the direction numbers v_i picked by the bits of the Gray code n ^ (n >> 1).
        // Dimension 1: v_i = 2^-i. Dimension 2: polynomial x + 1, m_1 = 1, m_i = 2 m_(i-1) ^ m_(i-1) = 1, 3, 5:
        // v = 1/2, 3/4, 5/8. Dimension 3: x^2 + x + 1, m = 1, 3, m_3 = 2·3 ^ 4·1 ^ 1 = 3: v = 1/2, 3/4, 3/8.
        double[][] expected =
        [
            [0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125],
            [0, 0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625],
            [0, 0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375],
        ];
        var sobol = new SobolSequence(3, scramble: false, seed: 0);
        for (var n = 0; n < 8; n++)
        {
            var point = Point(sobol, n);
            for (var k = 0; k < 3; k++)
            {
                Assert.Equal(expected[k][n], point[k]);
            }
        }
    }

    [Fact]
    public void Sobol_Unscrambled_MatchesScipy_UpToDimension1111()
    {
        // scipy.stats.qmc.Sobol(1111, scramble=False).random(12346) (SciPy 1.10.1, the same Joe–Kuo table),
        // times 2^30, at indices 1, 2, 3, 5, 7, 100, 1000 and 12345.
        long[] indices = [1, 2, 3, 5, 7, 100, 1000, 12345];
        var expected = new Dictionary<int, long[]>
        {
            [1] = [536870912, 805306368, 268435456, 939524096, 134217728, 444596224, 235929600, 688193536],
            [2] = [536870912, 268435456, 805306368, 939524096, 671088640, 276824064, 103809024, 873398272],
            [3] = [536870912, 268435456, 805306368, 134217728, 402653184, 830472192, 556793856, 172163072],
            [4] = [536870912, 268435456, 805306368, 402653184, 134217728, 780140544, 726663168, 565641216],
            [5] = [536870912, 805306368, 268435456, 939524096, 134217728, 947912704, 300941312, 954007552],
            [10] = [536870912, 805306368, 268435456, 134217728, 939524096, 746586112, 74448896, 461307904],
            [100] = [536870912, 805306368, 268435456, 402653184, 671088640, 947912704, 200278016, 578617344],
            [1000] = [536870912, 805306368, 268435456, 671088640, 402653184, 981467136, 214958080, 140705792],
            [1110] = [536870912, 268435456, 805306368, 402653184, 134217728, 260046848, 1062207488, 291962880],
            [1111] = [536870912, 805306368, 268435456, 402653184, 671088640, 494927872, 397410304, 462880768],
        };
        var sobol = new SobolSequence(SobolSequence.MaxDimension, scramble: false, seed: 0);
        for (var j = 0; j < indices.Length; j++)
        {
            var point = Point(sobol, indices[j]);
            foreach (var (dimension, values) in expected)
            {
                Assert.Equal(values[j], point[dimension - 1] * (1L << 30));
            }
        }
    }

    [Fact]
    public void Halton_Unscrambled_FirstPoints_AreRadicalInverses()
    {
        double[][] expected =
        [
            [0, 1 / 2.0, 1 / 4.0, 3 / 4.0, 1 / 8.0, 5 / 8.0, 3 / 8.0, 7 / 8.0, 1 / 16.0],
            [0, 1 / 3.0, 2 / 3.0, 1 / 9.0, 4 / 9.0, 7 / 9.0, 2 / 9.0, 5 / 9.0, 8 / 9.0],
            [0, 0.2, 0.4, 0.6, 0.8, 0.04, 0.24, 0.44, 0.64],
            [0, 1 / 7.0, 2 / 7.0, 3 / 7.0, 4 / 7.0, 5 / 7.0, 6 / 7.0, 1 / 49.0, 8 / 49.0],
        ];
        var halton = new HaltonSequence(4, scramble: false, seed: 0);
        Assert.Equal([2, 3, 5, 7], halton.Bases);
        for (var n = 0; n < 9; n++)
        {
            var point = Point(halton, n);
            for (var k = 0; k < 4; k++)
            {
                Assert.Equal(expected[k][n], point[k], 1e-15);
            }
        }
    }

    public static TheoryData<QmcType, bool> Kinds => new()
    {
        { QmcType.Sobol, false },
        { QmcType.Sobol, true },
        { QmcType.Halton, false },
        { QmcType.Halton, true },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryCoordinate_IsInTheHalfOpenUnitInterval(QmcType type, bool scramble)
    {
        var dimension = type == QmcType.Sobol ? SobolSequence.MaxDimension : 300;
        var sobol = type == QmcType.Sobol ? new SobolSequence(dimension, scramble, seed: 7) : null;
        var halton = type == QmcType.Halton ? new HaltonSequence(dimension, scramble, seed: 7) : null;
        var indices = Enumerable.Range(0, 600).Select(i => (long)i)
            .Concat(Enumerable.Range(1, 51).SelectMany(k => new[] { (1L << k) - 1, 1L << k, (1L << k) + 1 }))
            .Append(SobolSequence.MaxIndex);
        var buffer = new double[dimension];
        foreach (var n in indices)
        {
            sobol?.Point(n, buffer);
            halton?.Point(n, buffer);
            foreach (var x in buffer)
            {
                Assert.InRange(x, 0.0, Math.BitDecrement(1.0));
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sobol_First2PowMPoints_HitEveryIntervalOfEveryCoordinateOnce(bool scramble)
    {
        const int maxM = 10;
        var sobol = new SobolSequence(SobolSequence.MaxDimension, scramble, seed: 11);
        var points = Enumerable.Range(0, 1 << maxM).Select(n => Point(sobol, n)).ToArray();
        for (var m = 0; m <= maxM; m++)
        {
            var cells = 1 << m;
            for (var k = 0; k < sobol.Dimension; k++)
            {
                var hit = new bool[cells];
                for (var n = 0; n < cells; n++)
                {
                    var cell = (int)(points[n][k] * cells);
                    Assert.False(hit[cell], $"m = {m}, dimension {k + 1}: interval {cell} hit twice.");
                    hit[cell] = true;
                }
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Halton_FirstPPowMPoints_HitEveryIntervalOfTheirCoordinateOnce(bool scramble)
    {
        // Unscrambled points are exactly i / p^m, which rounding may leave a hair below the cell they start.
        var halton = new HaltonSequence(6, scramble, seed: 3);
        for (var k = 0; k < halton.Dimension; k++)
        {
            var p = halton.Bases[k];
            for (var cells = p; cells <= 3000; cells *= p)
            {
                var hit = new bool[cells];
                for (var n = 0; n < cells; n++)
                {
                    var cell = (int)((Point(halton, n)[k] * cells) + 1e-9);
                    Assert.False(hit[cell], $"base {p}, {cells} points: interval {cell} hit twice.");
                    hit[cell] = true;
                }
            }
        }
    }

    [Fact]
    public void Scrambled_IsReproducible_DependsOnTheSeed_AndNotOnTheDimension()
    {
        var a = new SobolSequence(50, scramble: true, seed: 42);
        var b = new SobolSequence(50, scramble: true, seed: 42);
        var other = new SobolSequence(50, scramble: true, seed: 43);
        var wide = new SobolSequence(SobolSequence.MaxDimension, scramble: true, seed: 42);
        var h1 = new HaltonSequence(20, scramble: true, seed: 42);
        var h2 = new HaltonSequence(40, scramble: true, seed: 42);
        var h3 = new HaltonSequence(20, scramble: true, seed: 43);
        for (var n = 0; n < 100; n++)
        {
            Assert.Equal(Point(a, n), Point(b, n));
            Assert.Equal(Point(a, n), Point(wide, n).Take(50));
            Assert.NotEqual(Point(a, n), Point(other, n));
            Assert.Equal(Point(h1, n), Point(h2, n).Take(20));
            Assert.NotEqual(Point(h1, n), Point(h3, n));
        }

        Assert.NotEqual(0.0, Point(a, 0)[0]);
        Assert.NotEqual(0.0, Point(h1, 0)[0]);
    }

    [Fact]
    public void Sobol_1000Dimensions_Works()
    {
        var sobol = new SobolSequence(1000, scramble: true, seed: 5);
        var sums = new double[1000];
        const int count = 1024;
        for (var n = 0; n < count; n++)
        {
            var point = Point(sobol, n);
            for (var k = 0; k < point.Length; k++)
            {
                sums[k] += point[k];
            }
        }

        Assert.All(sums, s => Assert.Equal(0.5, s / count, 1e-3));
    }

    [Fact]
    public void BadInput_GivesClearErrors()
    {
        var tooWide = Assert.Throws<ArgumentOutOfRangeException>(() => new SobolSequence(1112, scramble: true, seed: 0));
        Assert.Contains("1 to 1111 dimensions", tooWide.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SobolSequence(0, scramble: true, seed: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HaltonSequence(0, scramble: true, seed: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SobolSequence(2, false, 0).Point(-1, new double[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SobolSequence(2, false, 0).Point(0, new double[3]));

        var space = Enumerable.Range(0, 1112).ToDictionary(i => $"x{i}", _ => (Distribution)new FloatDistribution(0, 1));
        var options = Assert.Throws<ArgumentException>(() => new QmcSampler(new() { SearchSpace = space }));
        Assert.Contains("at most 1111 parameters", options.Message, StringComparison.Ordinal);
        Assert.Contains("has 1112", options.Message, StringComparison.Ordinal);
        _ = new QmcSampler(new() { SearchSpace = space, QmcType = QmcType.Halton });

        var several = Assert.Throws<ArgumentException>(() => new QmcSampler(new()
        {
            QmcType = (QmcType)7,
            SearchSpace = new Dictionary<string, Distribution> { ["x"] = null! },
        }));
        Assert.Contains("QmcType 7 is not Sobol or Halton.", several.Message, StringComparison.Ordinal);
        Assert.Contains("\"x\" has no distribution", several.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InferredSpaceBeyond1111Parameters_FailsTheTrialWithTheReason_AndStopsTheRun()
    {
        var study = Study.Create(new StudyOptions { Sampler = new QmcSampler(new() { Seed = 1 }) });
        Assert.Throws<SamplerException>(() => study.Optimize(t => Enumerable.Range(0, 1112).Sum(i => t.SuggestFloat($"x{i}", 0, 1)), new OptimizeOptions { Trials = 3 }));
        Assert.Equal(2, study.Trials.Count);
        Assert.Equal(TrialState.Complete, study.Trials[0].State);
        Assert.Equal(TrialState.Fail, study.Trials[1].State);
        Assert.Contains("at most 1111 parameters", study.Trials[1].SystemAttrs["fail_reason"].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Unscrambled_TrialK_TakesPointK()
    {
        var study = Study.Create(new StudyOptions { Sampler = new QmcSampler(new() { Scramble = false, Seed = 3 }) });
        study.Optimize(t => t.SuggestFloat("b", 0, 1) + t.SuggestFloat("a", -1, 1), new OptimizeOptions { Trials = 16 });
        var sobol = new SobolSequence(2, scramble: false, seed: 0);
        Assert.False(study.Trials[0].SystemAttrs.ContainsKey(QmcSampler.QmcIdKey));
        foreach (var trial in study.Trials.Skip(1))
        {
            Assert.Equal(trial.Number, QmcId(trial));
            var u = Point(sobol, trial.Number);
            Assert.Equal(-1 + (2 * u[0]), (double)trial.Params["a"]!, 1e-15);
            Assert.Equal(u[1], (double)trial.Params["b"]!, 1e-15);
        }
    }

    [Fact]
    public void ExplicitSearchSpace_SamplesTheFirstTrialToo()
    {
        var sampler = new QmcSampler(new()
        {
            Scramble = false,
            SearchSpace = new Dictionary<string, Distribution> { ["x"] = new FloatDistribution(2, 4), ["one"] = new IntDistribution(1, 1) },
        });
        var study = Study.Create(new StudyOptions { Sampler = sampler });
        study.Optimize(t => t.SuggestFloat("x", 2, 4) + t.SuggestInt("one", 1, 1), new OptimizeOptions { Trials = 4 });
        Assert.Equal([2.0, 3.0, 3.5, 2.5], study.Trials.Select(t => (double)t.Params["x"]!));
        Assert.Equal([0L, 1, 2, 3], study.Trials.Select(QmcId));
    }

    private static double MixedObjective(Trial t)
    {
        var x = t.SuggestFloat("x", -5, 5);
        var lr = t.SuggestFloat("lr", 1e-5, 1e-1, log: true);
        var frac = t.SuggestFloat("frac", 0.1, 0.9, step: 0.2);
        var depth = t.SuggestInt("depth", 1, 12);
        var width = t.SuggestInt("width", 8, 512, log: true);
        var booster = t.SuggestCategorical("booster", ["gbdt", "dart", "goss"]);
        return (x * x) + Math.Log10(lr) + frac + depth + Math.Log2(width) + booster.Length;
    }

    private static void AssertInsideDistributions(Study study)
    {
        foreach (var trial in study.Trials)
        {
            Assert.Equal(TrialState.Complete, trial.State);
            Assert.Equal(6, trial.InternalParams.Count);
            foreach (var (name, x) in trial.InternalParams)
            {
                Assert.True(trial.Distributions[name].Contains(x), $"{name} = {x} outside {trial.Distributions[name]} in trial #{trial.Number}.");
            }
        }
    }

    [Theory]
    [InlineData(QmcType.Sobol)]
    [InlineData(QmcType.Halton)]
    public void MixedSpace_InAStudy_StaysInsideEveryDistribution_AndSpreadsEvenly(QmcType type)
    {
        var study = Study.Create(new StudyOptions { Sampler = new QmcSampler(new() { QmcType = type, Seed = 9 }) });
        study.Optimize(MixedObjective, new OptimizeOptions { Trials = 129 });
        AssertInsideDistributions(study);
        var qmcTrials = study.Trials.Skip(1).ToList();
        Assert.All(qmcTrials, t => Assert.Equal(t.Number, QmcId(t)));

        // 128 points over 12 depths, 3 boosters and the two halves of the lr range (log scale): across 60 seeds
        // the most and fewest hits per value differ by at most 3 and 2, and a half holds 64 ± 3; independent draws
        // typically give differences near 10 and a half 64 ± 6.

        var depthCounts = qmcTrials.GroupBy(t => (int)t.Params["depth"]!).Select(g => g.Count()).ToList();
        Assert.Equal(12, depthCounts.Count);
        Assert.InRange(depthCounts.Max() - depthCounts.Min(), 0, 3);
        var boosterCounts = qmcTrials.GroupBy(t => (string)t.Params["booster"]!).Select(g => g.Count()).ToList();
        Assert.Equal(3, boosterCounts.Count);
        Assert.InRange(boosterCounts.Max() - boosterCounts.Min(), 0, 2);
        var lowLr = qmcTrials.Count(t => (double)t.Params["lr"]! < 1e-3);
        Assert.InRange(lowLr, 60, 68);
    }

    [Fact]
    public void SameSeed_SameTrials_OtherSeed_OtherTrials()
    {
        IReadOnlyList<string> Run(long seed, QmcType type)
        {
            var study = Study.Create(new StudyOptions { Sampler = new QmcSampler(new() { Seed = seed, QmcType = type }) });
            study.Optimize(MixedObjective, new OptimizeOptions { Trials = 20 });
            return [.. study.Trials.Select(t => string.Join(";", t.Params.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value}"))))];
        }

        Assert.Equal(Run(5, QmcType.Sobol), Run(5, QmcType.Sobol));
        Assert.Equal(Run(5, QmcType.Halton), Run(5, QmcType.Halton));
        Assert.NotEqual(Run(5, QmcType.Sobol), Run(6, QmcType.Sobol));
        Assert.NotEqual(Run(5, QmcType.Sobol), Run(5, QmcType.Halton));
    }

    [Theory]
    [InlineData(QmcType.Sobol)]
    [InlineData(QmcType.Halton)]
    public void ParallelWorkers_NeverShareAPoint(QmcType type)
    {
        var study = Study.Create(new StudyOptions { Sampler = new QmcSampler(new() { QmcType = type, Seed = 4 }) });
        study.Optimize(t =>
        {
            var value = MixedObjective(t);
            Thread.SpinWait(200);
            return value;
        }, new OptimizeOptions { Trials = 400, Parallelism = 8 });

        AssertInsideDistributions(study);
        var withPoint = study.Trials.Where(t => t.SystemAttrs.ContainsKey(QmcSampler.QmcIdKey)).ToList();
        Assert.InRange(withPoint.Count, 400 - 8, 399);
        Assert.All(withPoint, t => Assert.Equal(t.Number, QmcId(t)));
        Assert.Equal(withPoint.Count, withPoint.Select(QmcId).Distinct().Count());
        Assert.Equal(withPoint.Count, withPoint.Select(t => ((double)t.Params["x"]!, (double)t.Params["lr"]!)).Distinct().Count());
    }

    [Fact]
    public void ParametersOutsideTheSpace_GoToTheIndependentSampler_WithItsHooks()
    {
        var recorder = new RecordingSampler();
        var study = Study.Create(new StudyOptions
        {
            Sampler = new QmcSampler(new() { Seed = 2, IndependentSampler = recorder, IncludeCategorical = false }),
        });
        study.Optimize(t =>
        {
            var x = t.SuggestFloat("x", 0, 1);
            var kind = t.SuggestCategorical("kind", ["a", "b"]);
            return t.Number > 0 ? x + t.SuggestInt("extra", 0, 3) : x + kind.Length;
        }, new OptimizeOptions { Trials = 5 });

        Assert.Equal(["x", "kind"], recorder.Sampled.Where(s => s.Number == 0).Select(s => s.Name));
        Assert.All(Enumerable.Range(1, 4), n =>
            Assert.Equal(["kind", "extra"], recorder.Sampled.Where(s => s.Number == n).Select(s => s.Name)));
        Assert.Equal(5, recorder.Before);
        Assert.Equal(5, recorder.After);
    }

    private sealed class RecordingSampler : ISampler
    {
        private int _before;
        private int _after;

        public ConcurrentQueue<(int Number, string Name)> Sampled { get; } = new();

        public int Before => _before;

        public int After => _after;

        public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial) =>
            new Dictionary<string, Distribution>();

        public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace) =>
            new Dictionary<string, double>();

        public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution)
        {
            Sampled.Enqueue((trial.Number, name));
            return DistributionSampling.FromUnit(distribution, 0.5);
        }

        public void BeforeTrial(Study study, FrozenTrial trial) => Interlocked.Increment(ref _before);

        public void AfterTrial(Study study, FrozenTrial trial, TrialState state, IReadOnlyList<double>? values) =>
            Interlocked.Increment(ref _after);
    }
}
