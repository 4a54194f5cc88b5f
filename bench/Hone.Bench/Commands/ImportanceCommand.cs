using System.Diagnostics;
using System.Text.Json;
using Hone.Analysis.Importance;
using Hone.Bench.Cli;
using Hone.Bench.Python;
using Hone.Bench.Results;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Bench.Commands;

/// <summary>
/// Time of parameter importance on a study of N random trials of d floats in [0, 1] with known, clearly separated
/// importances (f = Σ 2^-i · sin(2π x_i) + x0·x1): Hone's fANOVA (default forest, with and without the pairwise
/// interactions), PED-ANOVA and mean decrease in impurity, and in the same run Optuna 3.1's FanovaImportanceEvaluator and
/// MeanDecreaseImpurityImportanceEvaluator (bench/optuna/importance.py) on the same trials, written to a JSON file.
/// Medians over the repeats, the ratio, and the top-3 ranking each found.
/// </summary>
internal static class ImportanceCommand
{
    public const string Usage =
        "importance [--trials 1000] [--dims 10] [--repeats 5] [--optuna-repeats 3] [--seed 42] [--no-optuna] [--python /usr/bin/python3]";

    public static int Run(BenchArgs args)
    {
        var trials = args.Int("trials", 1000, min: 2);
        var dims = args.Int("dims", 10, min: 2);
        var repeats = args.Int("repeats", 5, min: 1);
        var optunaRepeats = args.Int("optuna-repeats", 3, min: 1);
        var seed = args.Int("seed", 42);
        var skipOptuna = args.Flag("no-optuna");
        var python = new PythonRunner(args.String("python", PythonRunner.DefaultExecutable));
        args.ThrowIfUnknown();

        var study = MakeStudy(trials, dims, seed);
        Console.WriteLine($"Parameter importance on {trials} random trials of {dims} floats, f = Σ 2^-i sin(2π x_i) + x0·x1; " +
                          $"median of {repeats} runs (Hone, after 1 warm-up) and {optunaRepeats} (Optuna).");
        var hone = new List<(string Name, double Ms, string Top)>();
        foreach (var (name, options) in new (string, ImportanceOptions)[]
                 {
                     ("fanova", new() { Seed = 0 }),
                     ("fanova (no interactions)", new() { Seed = 0, Interactions = false }),
                     ("mdi", new() { Seed = 0, Method = ImportanceMethod.MeanDecreaseImpurity }),
                     ("ped-anova", new() { Seed = 0, Method = ImportanceMethod.PedAnova }),
                 })
        {
            var timings = new List<double>();
            ImportanceResult? result = null;
            for (var r = 0; r <= repeats; r++)
            {
                var start = Stopwatch.GetTimestamp();
                result = ParameterImportance.Evaluate(study, options);
                if (r > 0)
                {
                    timings.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }

            var top = string.Join(" > ", result!.Parameters.Take(3).Select(p => $"{p.Name} {p.Importance:0.000}"));
            hone.Add((name, Stats.Median(timings), top));
            Console.WriteLine($"  hone   {name}: {Format.Number(Stats.Median(timings), "0.0")} ms  ({top})");
        }

        var optuna = new Dictionary<string, (double Ms, string Top)>();
        if (!skipOptuna)
        {
            var file = Path.Combine(Path.GetTempPath(), $"hone-bench-importance-{Environment.ProcessId}.json");
            try
            {
                WriteTrials(study, file);
                var output = python.Run(RepoPaths.OptunaScript("importance.py"), file, "--repeats", $"{optunaRepeats}");
                using var doc = JsonDocument.Parse(output);
                foreach (var r in doc.RootElement.GetProperty("results").EnumerateArray())
                {
                    var method = r.GetProperty("method").GetString()!;
                    var ms = Stats.Median(r.GetProperty("ms").EnumerateArray().Select(x => x.GetDouble()));
                    var top = string.Join(" > ", r.GetProperty("importances").EnumerateObject().Take(3).Select(p => $"{p.Name} {p.Value.GetDouble():0.000}"));
                    optuna[method] = (ms, top);
                    Console.WriteLine($"  optuna {method}: {Format.Number(ms, "0.0")} ms  ({top})");
                }
            }
            finally
            {
                File.Delete(file);
            }
        }

        Console.WriteLine();
        Console.WriteLine("| method | Hone ms | Optuna 3.1 ms | Optuna / Hone | Hone top 3 | Optuna top 3 |");
        Console.WriteLine("|---|---:|---:|---:|---|---|");
        foreach (var (name, ms, top) in hone)
        {
            var key = name.StartsWith("fanova", StringComparison.Ordinal) ? "fanova" : name;
            var o = optuna.TryGetValue(key, out var x) ? x : ((double Ms, string Top)?)null;
            Console.WriteLine($"| {name} | {Format.Number(ms, "0.0")} | {(o is { } a ? Format.Number(a.Ms, "0") : "—")} | " +
                              $"{(o is { } b ? Format.Number(b.Ms / ms, "0.0") + "×" : "—")} | {top} | {(o is { } c ? c.Top : "—")} |");
        }

        return 0;
    }

    private static Study MakeStudy(int trials, int dims, int seed)
    {
        var space = Enumerable.Range(0, dims).ToDictionary(i => $"x{i}", _ => (Distribution)new FloatDistribution(0, 1));
        var study = Study.Create();
        var random = new Random(seed);
        for (var t = 0; t < trials; t++)
        {
            var x = Enumerable.Range(0, dims).Select(_ => random.NextDouble()).ToArray();
            var value = x[0] * x[1];
            for (var i = 0; i < dims; i++)
            {
                value += Math.Pow(2, -i) * Math.Sin(2 * Math.PI * x[i]);
            }

            study.AddTrial(FrozenTrial.Create(Enumerable.Range(0, dims).ToDictionary(i => $"x{i}", i => (object?)x[i]), space, [value]));
        }

        return study;
    }

    private static void WriteTrials(Study study, string file)
    {
        var trials = study.Trials;
        var payload = new
        {
            distributions = trials[0].Distributions.ToDictionary(d => d.Key, d => d.Value.ToJson()),
            trials = trials.Select(t => new { @params = t.Params, value = t.Value }),
        };
        File.WriteAllText(file, JsonSerializer.Serialize(payload));
    }
}
