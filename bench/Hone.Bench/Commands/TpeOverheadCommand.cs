using System.Diagnostics;
using System.Text.Json;
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
/// Time per suggestion of a model-based sampler (TPE, CMA-ES) once a study has many completed trials: a study with
/// N completed trials of d floats in [0, 1] (value = sum of squares), then timed rounds of Ask + SuggestFloat for
/// every parameter (Tell after the timer stops), median over the rounds. The N trials are random ones added with
/// <see cref="Study.AddTrial"/> (<c>--fill random</c>, the default), or trials the sampler itself proposed
/// (<c>--fill sampler</c>: the study is first optimized for N trials, which matters for samplers such as CMA-ES that
/// learn only from their own trials). The same with Optuna (bench/optuna/tpe_overhead.py) in the same run.
/// </summary>
internal static class TpeOverheadCommand
{
    public const string Usage =
        "tpe-overhead [--samplers tpe[,tpe-multivariate,cmaes]] [--trials 1000,10000] [--dims 5,20] [--asks 20] [--fill random|sampler] [--seed 42] [--no-optuna] [--python /usr/bin/python3]";

    public static int Run(BenchArgs args)
    {
        var samplers = args.List("samplers", ["tpe"]);
        var trialCounts = args.IntList("trials", [1000, 10_000]);
        var dims = args.IntList("dims", [5, 20]);
        var asks = args.Int("asks", 20, min: 1);
        var seed = args.Int("seed", 42);
        var fill = args.String("fill", "random");
        if (fill is not ("random" or "sampler"))
        {
            throw new UsageException($"--fill is \"{fill}\"; it must be \"random\" (trials added at random) or \"sampler\" (trials the sampler proposed).");
        }

        var skipOptuna = args.Flag("no-optuna");
        var python = new PythonRunner(args.String("python", PythonRunner.DefaultExecutable));
        args.ThrowIfUnknown();
        SamplerRegistry.ThrowIfUnknown(samplers);

        Console.WriteLine($"Time per suggestion (Ask + {string.Join("/", dims)} × SuggestFloat) with N completed " +
                          (fill == "random" ? "random trials" : "trials the sampler proposed") + "; " +
                          $"median of {asks} asks after 1 warm-up ask.");
        var hone = new Dictionary<(string, int, int), double>();
        foreach (var sampler in samplers)
        {
            foreach (var n in trialCounts)
            {
                foreach (var d in dims)
                {
                    var median = Measure(SamplerRegistry.Create(sampler, seed), n, d, asks, seed, fill == "sampler");
                    hone[(sampler, n, d)] = median;
                    Console.WriteLine($"  hone   {sampler} N = {n}, d = {d}: {Format.Number(median, "0.000")} ms");
                }
            }
        }

        var optuna = new Dictionary<(string, int, int), double>();
        if (!skipOptuna)
        {
            var output = python.Run(RepoPaths.OptunaScript("tpe_overhead.py"),
                "--samplers", string.Join(',', samplers), "--trials", string.Join(',', trialCounts),
                "--dims", string.Join(',', dims), "--asks", $"{asks}", "--seed", $"{seed}", "--fill", fill);
            using var doc = JsonDocument.Parse(output);
            foreach (var r in doc.RootElement.GetProperty("results").EnumerateArray())
            {
                var key = (r.GetProperty("sampler").GetString()!, r.GetProperty("trials").GetInt32(), r.GetProperty("dims").GetInt32());
                optuna[key] = r.GetProperty("median_ms").GetDouble();
                Console.WriteLine($"  optuna {key.Item1} N = {key.Item2}, d = {key.Item3}: {Format.Number(optuna[key], "0.000")} ms");
            }
        }

        Console.WriteLine();
        Console.WriteLine("| sampler | completed trials | d | Hone ms/suggestion | Optuna ms/suggestion | Optuna / Hone |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var ((sampler, n, d), h) in hone)
        {
            var o = optuna.TryGetValue((sampler, n, d), out var value) ? value : (double?)null;
            Console.WriteLine($"| {sampler} | {n} | {d} | {Format.Number(h, "0.000")} | " +
                              $"{(o is { } x ? Format.Number(x, "0.0") : "—")} | {(o is { } y ? Format.Number(y / h, "0.0") + "×" : "—")} |");
        }

        return 0;
    }

    private static double Measure(ISampler sampler, int trials, int dims, int asks, int seed, bool fillWithSampler)
    {
        var names = Enumerable.Range(0, dims).Select(i => $"x{i}").ToArray();
        var distributions = names.ToDictionary(n => n, _ => (Distribution)new FloatDistribution(0, 1));
        var study = Study.Create(new StudyOptions { Sampler = sampler });
        var random = new Random(seed);
        if (fillWithSampler)
        {
            study.Optimize(trial =>
            {
                var value = 0.0;
                foreach (var name in names)
                {
                    var x = trial.SuggestFloat(name, 0, 1);
                    value += x * x;
                }

                return value;
            }, new OptimizeOptions { Trials = trials });
        }

        for (var t = 0; t < (fillWithSampler ? 0 : trials); t++)
        {
            var parameters = new Dictionary<string, object?>(dims);
            var value = 0.0;
            foreach (var name in names)
            {
                var x = random.NextDouble();
                parameters[name] = x;
                value += x * x;
            }

            study.AddTrial(FrozenTrial.Create(parameters, distributions, [value]));
        }

        var timings = new List<double>(asks);
        for (var i = 0; i <= asks; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var trial = study.Ask();
            var value = 0.0;
            foreach (var name in names)
            {
                var x = trial.SuggestFloat(name, 0, 1);
                value += x * x;
            }

            var elapsed = Stopwatch.GetElapsedTime(start);
            study.Tell(trial, value);
            if (i > 0)
            {
                timings.Add(elapsed.TotalMilliseconds);
            }
        }

        return Stats.Median(timings);
    }
}
