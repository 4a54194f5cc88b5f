using System.Diagnostics;
using System.Text.Json;
using Hone.Analysis;
using Hone.Bench.Cli;
using Hone.Bench.Python;
using Hone.Bench.Results;
using Hone.Bench.Samplers;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Bench.Commands;

/// <summary>
/// Multi-objective samplers on ZDT1, ZDT2 (Zitzler, Deb and Thiele 2000; 30 parameters) and DTLZ2 (Deb et al. 2002;
/// three objectives, 12 parameters): the hypervolume of the complete trials after each checkpoint, per seed, for Hone's
/// samplers and Optuna's (bench/optuna/multi_objective.py) in the same run, every hypervolume computed by
/// <see cref="Hypervolume"/> from the trials' values; medians over seeds, the Mann–Whitney comparison of each Hone
/// sampler with each Optuna one, and the wall time per trial (ask, suggest, objective, tell) of each run.
/// </summary>
internal static class MultiObjectiveCommand
{
    public const string Usage =
        "mo [--samplers nsga2,nsga2-uniform,nsga3,motpe,auto] [--optuna-samplers nsga2,nsga2-sbx,motpe] [--problems zdt1,zdt2,zdt3,dtlz2] [--trials 1000] [--checkpoints 250,500,1000] [--seeds 10] [--population 50] [--tpe-trials N] [--no-optuna] [--python /usr/bin/python3]";

    private const int ZdtDims = 30;
    private const int DtlzDims = 12;

    public static int Run(BenchArgs args)
    {
        var samplers = args.List("samplers", ["nsga2", "nsga2-uniform", "nsga3"]);
        var optunaSamplers = args.List("optuna-samplers", ["nsga2", "nsga2-sbx"]);
        var problems = args.List("problems", ["zdt1", "zdt2", "dtlz2"]);
        var trials = args.Int("trials", 1000, min: 1);
        var checkpoints = args.IntList("checkpoints", [250, 500, 1000]).Where(c => c <= trials).ToArray();
        var seeds = args.Int("seeds", 10, min: 1);
        var population = args.Int("population", 50, min: 2);
        var skipOptuna = args.Flag("no-optuna");
        // TPE costs grow with the history (Optuna's MOTPE most: a hypervolume subset selection per parameter per
        // trial), so its runs may stop earlier; checkpoints past a run's end are blank.
        var tpeTrials = args.Int("tpe-trials", trials, min: 1);
        var python = new PythonRunner(args.String("python", PythonRunner.DefaultExecutable));
        args.ThrowIfUnknown();
        foreach (var p in problems)
        {
            if (p is not ("zdt1" or "zdt2" or "zdt3" or "dtlz2"))
            {
                throw new UsageException($"Unknown problem \"{p}\"; known: zdt1, zdt2, zdt3, dtlz2.");
            }
        }

        // (library, sampler, problem) -> per seed: hypervolume at each checkpoint, seconds per trial.
        var runs = new Dictionary<(string Library, string Sampler, string Problem), List<(double[] Hv, double MsPerTrial)>>();
        foreach (var sampler in samplers)
        {
            foreach (var problem in problems)
            {
                for (var seed = 0; seed < seeds; seed++)
                {
                    var sampled = SamplerFactory(sampler, seed, population);
                    var study = Study.Create(new StudyOptions { Directions = Directions(problem), Sampler = sampled });
                    var dims = problem == "dtlz2" ? DtlzDims : ZdtDims;
                    var n = sampler.StartsWith("motpe", StringComparison.Ordinal) ? tpeTrials : trials;
                    var start = Stopwatch.GetTimestamp();
                    study.Optimize(t => Evaluate(problem, [.. Enumerable.Range(0, dims).Select(i => t.SuggestFloat($"x{i}", 0, 1))]),
                        new OptimizeOptions { Trials = n });
                    var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds / n;
                    var values = study.GetTrials(TrialState.Complete).Select(t => t.Values!.ToArray()).ToList();
                    Add(runs, ("hone", sampler, problem), (Checkpoints(values, problem, checkpoints), ms));
                }

                Console.Error.WriteLine($"  hone   {sampler} {problem}: done");
            }
        }

        if (!skipOptuna)
        {
            var output = python.Run(RepoPaths.OptunaScript("multi_objective.py"),
                "--samplers", string.Join(',', optunaSamplers), "--problems", string.Join(',', problems),
                "--zdt-dims", $"{ZdtDims}", "--dtlz-dims", $"{DtlzDims}", "--trials", $"{trials}", "--seeds", $"{seeds}",
                "--population", $"{population}", "--tpe-trials", $"{tpeTrials}");
            using var doc = JsonDocument.Parse(output);
            foreach (var r in doc.RootElement.GetProperty("results").EnumerateArray())
            {
                var problem = r.GetProperty("problem").GetString()!;
                var values = r.GetProperty("values").EnumerateArray().Select(v => v.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToList();
                var ms = r.GetProperty("seconds").GetDouble() * 1000 / values.Count;
                Add(runs, ("optuna", r.GetProperty("sampler").GetString()!, problem), (Checkpoints(values, problem, checkpoints), ms));
            }
        }

        Console.WriteLine($"Hypervolume of the complete trials (median over {seeds} seeds; higher is better), population {population}; " +
                          $"ZDT: {ZdtDims} parameters, reference (1.1, 11); ZDT3's optimal front has hypervolume ≈ 11.87 there; DTLZ2: {DtlzDims} parameters, reference (1.1, 1.1, 1.1).");
        Console.WriteLine();
        Console.WriteLine($"| problem | library | sampler | {string.Join(" | ", checkpoints.Select(c => $"HV @ {c}"))} | ms/trial |");
        Console.WriteLine($"|---|---|---|{string.Concat(checkpoints.Select(_ => "---:|"))}---:|");
        foreach (var problem in problems)
        {
            foreach (var ((library, sampler, p), list) in runs.Where(r => r.Key.Problem == problem))
            {
                var hv = checkpoints.Select((_, k) => list.Any(x => double.IsNaN(x.Hv[k])) ? "" : Format.Number(Stats.Median(list.Select(x => x.Hv[k])), "0.0000"));
                Console.WriteLine($"| {p} | {library} | {sampler} | {string.Join(" | ", hv)} | {Format.Number(Stats.Median(list.Select(x => x.MsPerTrial)), "0.000")} |");
            }
        }

        if (!skipOptuna)
        {
            Console.WriteLine();
            Console.WriteLine("Hone vs Optuna at each checkpoint both reached: P(Hone's hypervolume > Optuna's) and the two-sided Mann–Whitney p.");
            Console.WriteLine();
            Console.WriteLine("| problem | Hone sampler | Optuna sampler | trials | P(Hone higher) | p |");
            Console.WriteLine("|---|---|---|---:|---:|---:|");
            foreach (var problem in problems)
            {
                foreach (var h in samplers)
                {
                    foreach (var o in optunaSamplers)
                    {
                        if (!runs.TryGetValue(("hone", h, problem), out var a) || !runs.TryGetValue(("optuna", o, problem), out var b))
                        {
                            continue;
                        }

                        for (var k = 0; k < checkpoints.Length; k++)
                        {
                            if (a.Any(x => double.IsNaN(x.Hv[k])) || b.Any(x => double.IsNaN(x.Hv[k])))
                            {
                                continue;
                            }

                            // MannWhitney ranks "lower is better": negate so that it reports P(Hone higher).
                            var (pHigher, p) = Stats.MannWhitney([.. a.Select(x => -x.Hv[k])], [.. b.Select(x => -x.Hv[k])]);
                            Console.WriteLine($"| {problem} | {h} | {o} | {checkpoints[k]} | {Format.Number(pHigher, "0.00")} | {Format.Number(p, "0.0000")} |");
                        }
                    }
                }
            }
        }

        return 0;
    }

    private static Hone.Samplers.ISampler SamplerFactory(string name, int seed, int population) => name switch
    {
        "nsga2" => new Hone.Samplers.Nsga.NsgaIISampler(new() { Seed = seed, PopulationSize = population }),
        "nsga2-uniform" => new Hone.Samplers.Nsga.NsgaIISampler(new() { Seed = seed, PopulationSize = population, Crossover = Hone.Samplers.Nsga.NsgaCrossover.Uniform }),
        "nsga3" => new Hone.Samplers.Nsga.NsgaIIISampler(new() { Seed = seed, PopulationSize = population }),
        "motpe" => new Hone.Samplers.Tpe.TpeSampler(new() { Seed = seed }),
        "motpe-univariate" => new Hone.Samplers.Tpe.TpeSampler(new() { Seed = seed, Multivariate = false }),
        _ => SamplerRegistry.Create(name, seed),
    };

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key, TValue value)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(value);
    }

    private static StudyDirection[] Directions(string problem) =>
        [.. Enumerable.Repeat(StudyDirection.Minimize, problem == "dtlz2" ? 3 : 2)];

    private static double[] Reference(string problem) => problem == "dtlz2" ? [1.1, 1.1, 1.1] : [1.1, 11];

    /// <summary>The hypervolume after each checkpoint; NaN (shown blank, left out of medians) past the end of a shorter run.</summary>
    private static double[] Checkpoints(List<double[]> values, string problem, int[] checkpoints) =>
        [.. checkpoints.Select(c => c > values.Count ? double.NaN : Hypervolume.Compute([.. values.Take(c)], Reference(problem)))];

    private static double[] Evaluate(string problem, double[] x)
    {
        switch (problem)
        {
            case "zdt1":
            case "zdt2":
            case "zdt3":
            {
                var g = 1 + (9 * x.Skip(1).Sum() / (x.Length - 1));
                var ratio = x[0] / g;
                var h = problem switch
                {
                    "zdt1" => 1 - Math.Sqrt(ratio),
                    "zdt2" => 1 - (ratio * ratio),
                    _ => 1 - Math.Sqrt(ratio) - (ratio * Math.Sin(10 * Math.PI * x[0])),
                };
                return [x[0], g * h];
            }

            default:
            {
                var g = x.Skip(2).Sum(v => (v - 0.5) * (v - 0.5));
                var a = x[0] * Math.PI / 2;
                var b = x[1] * Math.PI / 2;
                return [(1 + g) * Math.Cos(a) * Math.Cos(b), (1 + g) * Math.Cos(a) * Math.Sin(b), (1 + g) * Math.Sin(a)];
            }
        }
    }
}
