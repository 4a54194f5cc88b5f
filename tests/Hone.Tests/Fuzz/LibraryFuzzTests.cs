using System.Diagnostics;
using Hone.Distributions;
using Hone.Samplers;
using Hone.Samplers.Qmc;
using Hone.Samplers.Tpe;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Fuzz;

/// <summary>
/// Random and extreme library calls (suggest, report, enqueue, tell) against studies with each sampler. A call may
/// fail only with a documented exception (the ArgumentException family, SamplerException, InvalidOperationException
/// such as TrialFinishedException); every value handed out must lie in its distribution; no call may take 5 s.
/// </summary>
public class LibraryFuzzTests
{
    private const int Studies = 300;
    private const int CallsPerStudy = 30;

    private static readonly double[] Doubles =
    [
        0, -0.0, 1, -1, 0.5, 8.5, -9.41, 1e-9, 1e-300, -1e-300, double.Epsilon, 1e15, 1e300, 1e308, -1e308, 1.797e308,
        -1.797e308, double.MaxValue, double.MinValue, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e8, 0.1, 3,
    ];

    private static readonly int[] Ints = [0, 1, -1, 2, 10, 100_000_000, int.MaxValue, int.MinValue, int.MaxValue - 1, int.MinValue + 1, 7, -7, 1000];

    private static readonly object?[] Choices =
    [
        "a", "b", "", "\0", "é", "\uD800", 1, 1L, 1.0, 2, -0.0, 0.0, double.NaN, double.PositiveInfinity, true, false, null, (byte)3, 3m,
        DateTime.UnixEpoch, new object(), new[] { 1 },
    ];

    private static double AnyDouble(Random r) => r.Next(3) switch
    {
        0 => Doubles[r.Next(Doubles.Length)],
        1 => (r.NextDouble() - 0.5) * Math.Pow(10, r.Next(-320, 309)),
        _ => (r.NextDouble() * 20) - 10,
    };

    private static int AnyInt(Random r) => r.Next(2) == 0 ? Ints[r.Next(Ints.Length)] : r.Next(-20, 20);

    private static ISampler NewSampler(int kind, long seed) => kind switch
    {
        0 => new RandomSampler(seed),
        1 => new TpeSampler(new() { Seed = seed, StartupTrials = 2 }),
        2 => new QmcSampler(new() { Seed = seed }),
        3 => new BruteForceSampler(seed),
        _ => new TpeSampler(new() { Seed = seed, StartupTrials = 2, Multivariate = false }),
    };

    private static bool Documented(Exception e) => e is ArgumentException or SamplerException or InvalidOperationException;

    [Fact]
    public void RandomCalls_FailOnlyAsDocumented_AndStayInRange()
    {
        var random = new Random(20261201);
        var failures = new List<string>();
        var cases = 0;
        var succeeded = 0;
        for (var s = 0; s < Studies && failures.Count < 10; s++)
        {
            var samplerKind = s % 5;
            var study = Study.Create(new StudyOptions { Sampler = NewSampler(samplerKind, s) });
            Trial? trial = null;
            for (var c = 0; c < CallsPerStudy && failures.Count < 10; c++)
            {
                cases++;
                var op = random.Next(10);
                var watch = Stopwatch.StartNew();
                var what = string.Empty;
                try
                {
                    trial ??= study.Ask();
                    what = Step(random, study, ref trial, op);
                    succeeded++;
                }
                catch (Exception e) when (Documented(e))
                {
                    // Refused as documented; a refused suggestion leaves the trial usable.
                }
                catch (Exception e)
                {
                    failures.Add($"study {s} (sampler {study.Sampler.GetType().Name}), op {op} {what}: {e.GetType().Name}: {e.Message}");
                }

                if (watch.Elapsed > TimeSpan.FromSeconds(5))
                {
                    failures.Add($"study {s}, op {op} {what}: took {watch.Elapsed}");
                }
            }

            foreach (var t in study.Trials)
            {
                foreach (var (name, d) in t.Distributions)
                {
                    if (!d.Contains(t.InternalParams[name]))
                    {
                        failures.Add($"study {s} ({study.Sampler.GetType().Name}) trial #{t.Number}: {name} = {t.InternalParams[name]:R} outside {d}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(cases >= Studies * CallsPerStudy);
        Assert.True(succeeded > cases / 5, $"only {succeeded} of {cases} calls succeeded: the fuzz would test little but refusals");
    }

    /// <summary>One random call; returns a description for the failure message.</summary>
    private static string Step(Random r, Study study, ref Trial? trial, int op)
    {
        var name = "p" + r.Next(6);
        switch (op)
        {
            case 0 or 1:
            {
                double low = AnyDouble(r), high = AnyDouble(r);
                var log = r.Next(4) == 0;
                double? step = r.Next(3) == 0 ? AnyDouble(r) : null;
                var d = $"SuggestFloat({name}, {low:R}, {high:R}, {log}, {step:R})";
                var x = trial!.SuggestFloat(name, low, high, log, step);
                Assert.True(x >= low && x <= high, $"{d} returned {x:R}");
                return d;
            }

            case 2 or 3:
            {
                int low = AnyInt(r), high = AnyInt(r), step = r.Next(3) == 0 ? AnyInt(r) : 1;
                var log = r.Next(4) == 0;
                var d = $"SuggestInt({name}, {low}, {high}, {log}, {step})";
                var x = trial!.SuggestInt(name, low, high, log, step);
                Assert.True(x >= low && x <= high, $"{d} returned {x}");
                return d;
            }

            case 4:
            {
                var n = r.Next(4) == 0 ? r.Next(0, 3000) : r.Next(0, 6);
                var choices = new object?[n];
                for (var i = 0; i < n; i++)
                {
                    choices[i] = n > 30 ? "c" + i : Choices[r.Next(Choices.Length)];
                }

                var x = trial!.SuggestCategorical(name, choices);
                Assert.Contains(x, choices);
                return $"SuggestCategorical({name}, {n} choices)";
            }

            case 5:
                trial!.Report(AnyDouble(r), r.Next(4) == 0 ? -r.Next(1, 5) : r.Next(0, 5));
                return "Report";
            case 6:
            {
                var parameters = new Dictionary<string, object?>();
                for (var i = r.Next(4); i > 0; i--)
                {
                    parameters["p" + r.Next(6)] = r.Next(3) switch { 0 => AnyDouble(r), 1 => AnyInt(r), _ => Choices[r.Next(Choices.Length)] };
                }

                study.Enqueue(parameters, skipIfExists: r.Next(2) == 0);
                return "Enqueue";
            }

            case 7:
            {
                var t = trial!;
                trial = null;
                study.Tell(t, r.Next(3) switch { 0 => [AnyDouble(r)], 1 => [], _ => [AnyDouble(r), AnyDouble(r)] });
                return "Tell(values)";
            }

            case 8:
            {
                var t = trial!;
                trial = null;
                var state = (TrialState)r.Next(-1, 6);
                study.Tell(t, state, r.Next(2) == 0 ? null : [AnyDouble(r)]);
                return $"Tell({state})";
            }

            default:
                study.Tell(trial!.Number + r.Next(-2, 3), r.Next(2) == 0 ? AnyDouble(r) : double.NaN);
                trial = null;
                return "Tell(number)";
        }
    }
}
