using System.Diagnostics;
using System.Text.Json;
using Hone.Analysis;
using Hone.Bench.Cli;
using Hone.Bench.Python;
using Hone.Bench.Results;
using Hone.Bench.Samplers;
using Hone.Distributions;
using Hone.Samplers;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Bench.Commands;

/// <summary>
/// The costs of multi-objective optimisation, Hone against Optuna 3.1 (bench/optuna/mo_cost.py) in the same run:
/// (1) the time of a suggestion (ask and one suggest per parameter, the tell after the timer) on a two-objective ZDT1
/// study with N complete trials — proposed by the sampler itself for NSGA-II (its generations are read from the trials),
/// random ones added for TPE and the GP — median of several asks; (2) the time of an exact hypervolume of n mutually
/// non-dominated points (uniform on the positive part of the unit sphere, reference 1.1 in every objective) by
/// <see cref="Hypervolume.Compute"/> and by Optuna's <c>optuna._hypervolume.WFG().compute</c>, the same points for
/// both, median of repeats.
/// </summary>
internal static class MultiObjectiveCostCommand
{
    public const string Usage =
        "mo-cost [--samplers nsga2,motpe,gp] [--optuna-samplers nsga2,motpe] [--trials 1000] [--gp-trials 300] [--dims 10] [--asks 10] " +
        "[--hv 3:1000,5:1000,5:100] [--hv-repeats 5] [--optuna-hv 3:1000,5:100] [--optuna-budget 60] [--seed 42] [--no-optuna] [--python /usr/bin/python3]";

    public static int Run(BenchArgs args)
    {
        var samplers = args.List("samplers", ["nsga2", "motpe", "gp"]);
        var optunaSamplers = args.List("optuna-samplers", ["nsga2", "motpe"]);
        var trials = args.Int("trials", 1000, min: 1);
        var gpTrials = args.Int("gp-trials", 300, min: 1);
        var dims = args.Int("dims", 10, min: 2);
        var asks = args.Int("asks", 10, min: 1);
        var hv = ParseSets(args.List("hv", ["3:1000", "5:1000", "5:100"]));
        var repeats = args.Int("hv-repeats", 5, min: 1);
        var optunaHv = ParseSets(args.List("optuna-hv", ["3:1000", "5:100"]));
        var budget = args.Int("optuna-budget", 60, min: 1);
        var seed = args.Int("seed", 42);
        var skipOptuna = args.Flag("no-optuna");
        var python = new PythonRunner(args.String("python", PythonRunner.DefaultExecutable));
        args.ThrowIfUnknown();

        var suggestion = new List<(string Library, string Sampler, int Trials, double Ms)>();
        foreach (var sampler in samplers)
        {
            var n = sampler == "gp" ? gpTrials : trials;
            var ms = MeasureSuggestion(sampler, n, dims, asks, seed);
            suggestion.Add(("hone", sampler, n, ms));
            Console.Error.WriteLine($"  hone   {sampler} N = {n}: {Format.Number(ms, "0.000")} ms");
        }

        // The point sets, written once for both libraries.
        var sets = hv.Concat(optunaHv).Distinct().ToList();
        var points = sets.ToDictionary(s => s, s => SpherePoints(s.Dims, s.Count, seed));
        var file = Path.Combine(Path.GetTempPath(), $"hone-hv-{Environment.ProcessId}.json");
        File.WriteAllText(file, JsonSerializer.Serialize(sets.Select(s => new { dims = s.Dims, count = s.Count, points = points[s] })));
        var hvTimes = new List<(string Library, int Dims, int Count, double Ms, int Repeats, double Value)>();
        foreach (var s in hv)
        {
            var reference = Enumerable.Repeat(1.1, s.Dims).ToArray();
            var times = new List<double>();
            var value = 0.0;
            for (var r = 0; r <= repeats; r++)
            {
                var start = Stopwatch.GetTimestamp();
                value = Hypervolume.Compute(points[s], reference);
                if (r > 0)
                {
                    times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }

            hvTimes.Add(("hone", s.Dims, s.Count, Stats.Median(times), repeats, value));
            Console.Error.WriteLine($"  hone   hypervolume {s.Dims}-D n = {s.Count}: {Format.Number(Stats.Median(times), "0.000")} ms");
        }

        string? version = null;
        if (!skipOptuna)
        {
            var output = python.Run(RepoPaths.OptunaScript("mo_cost.py"),
                "--samplers", string.Join(',', optunaSamplers), "--trials", $"{trials}", "--dims", $"{dims}", "--asks", $"{asks}",
                "--seed", $"{seed}", "--points", file, "--hv", string.Join(',', optunaHv.Select(s => $"{s.Dims}:{s.Count}")),
                "--hv-repeats", $"{repeats}", "--budget", $"{budget}");
            using var doc = JsonDocument.Parse(output);
            version = doc.RootElement.GetProperty("optuna_version").GetString();
            foreach (var r in doc.RootElement.GetProperty("suggestion").EnumerateArray())
            {
                suggestion.Add(("optuna", r.GetProperty("sampler").GetString()!, r.GetProperty("trials").GetInt32(), r.GetProperty("median_ms").GetDouble()));
            }

            foreach (var r in doc.RootElement.GetProperty("hypervolume").EnumerateArray())
            {
                hvTimes.Add(("optuna", r.GetProperty("dims").GetInt32(), r.GetProperty("count").GetInt32(), r.GetProperty("median_ms").GetDouble(),
                    r.GetProperty("repeats").GetInt32(), r.GetProperty("value").GetDouble()));
            }
        }

        File.Delete(file);
        Console.WriteLine($"Time per suggestion (ask + {dims} × suggest, two-objective ZDT1) with N complete trials; median of {asks} asks after a warm-up; Optuna {version ?? "not run"}.");
        Console.WriteLine();
        Console.WriteLine("| library | sampler | N | ms/suggestion |");
        Console.WriteLine("|---|---|---:|---:|");
        foreach (var (library, sampler, n, ms) in suggestion)
        {
            Console.WriteLine($"| {library} | {sampler} | {n} | {Format.Number(ms, "0.000")} |");
        }

        Console.WriteLine();
        Console.WriteLine("Exact hypervolume of n points on the positive unit sphere (mutually non-dominated), reference 1.1: median time.");
        Console.WriteLine();
        Console.WriteLine("| library | objectives | n | ms | repeats | hypervolume |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (library, d, n, ms, r, value) in hvTimes)
        {
            Console.WriteLine($"| {library} | {d} | {n} | {Format.Number(ms, "0.000")} | {r} | {Format.Number(value, "0.000000")} |");
        }

        return 0;
    }

    private static List<(int Dims, int Count)> ParseSets(IReadOnlyList<string> specs) =>
        [.. specs.Select(s =>
        {
            var parts = s.Split(':');
            return parts.Length == 2 && int.TryParse(parts[0], out var d) && int.TryParse(parts[1], out var n) && d >= 2 && n >= 1
                ? (d, n)
                : throw new UsageException($"--hv entry \"{s}\" must be objectives:points, such as 3:1000.");
        })];

    /// <summary>n points uniform on the part of the unit sphere with positive coordinates: no one dominates another.</summary>
    private static double[][] SpherePoints(int d, int n, int seed)
    {
        var rng = new Random(seed + (1000 * d) + n);
        var points = new double[n][];
        for (var i = 0; i < n; i++)
        {
            var p = new double[d];
            var norm = 0.0;
            for (var j = 0; j < d; j++)
            {
                var u1 = 1 - rng.NextDouble();
                var u2 = rng.NextDouble();
                p[j] = Math.Abs(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
                norm += p[j] * p[j];
            }

            norm = Math.Sqrt(norm);
            for (var j = 0; j < d; j++)
            {
                p[j] /= norm;
            }

            points[i] = p;
        }

        return points;
    }

    private static double[] Zdt1(double[] x)
    {
        var g = 1 + (9 * x.Skip(1).Sum() / (x.Length - 1));
        return [x[0], g * (1 - Math.Sqrt(x[0] / g))];
    }

    private static double MeasureSuggestion(string name, int trials, int dims, int asks, int seed)
    {
        var sampler = name switch
        {
            "nsga2" => new Hone.Samplers.Nsga.NsgaIISampler(new() { Seed = seed }),
            "motpe" => new Hone.Samplers.Tpe.TpeSampler(new() { Seed = seed }),
            _ => SamplerRegistry.Create(name, seed),
        };
        var names = Enumerable.Range(0, dims).Select(i => $"x{i}").ToArray();
        var distributions = names.ToDictionary(n => n, _ => (Distribution)new FloatDistribution(0, 1));
        var study = Study.Create(new StudyOptions { Directions = [StudyDirection.Minimize, StudyDirection.Minimize], Sampler = sampler });
        if (name.StartsWith("nsga", StringComparison.Ordinal))
        {
            study.Optimize(t => Zdt1([.. names.Select(n => t.SuggestFloat(n, 0, 1))]), new OptimizeOptions { Trials = trials });
        }
        else
        {
            var random = new Random(seed);
            for (var t = 0; t < trials; t++)
            {
                var x = names.Select(_ => random.NextDouble()).ToArray();
                var parameters = names.Select((n, i) => (n, x[i])).ToDictionary(p => p.n, p => (object?)p.Item2);
                study.AddTrial(FrozenTrial.Create(parameters, distributions, Zdt1(x)));
            }
        }

        var timings = new List<double>(asks);
        for (var i = 0; i <= asks; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var trial = study.Ask();
            var x = names.Select(n => trial.SuggestFloat(n, 0, 1)).ToArray();
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            study.Tell(trial, Zdt1(x));
            if (i > 0)
            {
                timings.Add(elapsed);
            }
        }

        return Stats.Median(timings);
    }
}
