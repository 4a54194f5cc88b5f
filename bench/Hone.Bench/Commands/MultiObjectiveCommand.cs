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
/// three objectives, 12 parameters), and two constrained problems: C2-DTLZ2 (Jain and Deb, "An evolutionary
/// many-objective optimization algorithm using reference-point based nondominated sorting approach, part II: handling
/// constraints and extending to an adaptive approach", IEEE TEC 2014; DTLZ2 with three objectives and 12 parameters,
/// feasible only within r = 0.4 of the front's three corners and its centre) and Binh–Korn (Binh and Korn 1997; two
/// parameters, two constraints): the hypervolume of the complete feasible trials after each checkpoint, per seed, for Hone's
/// samplers and Optuna's (bench/optuna/multi_objective.py) in the same run, every hypervolume computed by
/// <see cref="Hypervolume"/> from the trials' values; medians over seeds, the Mann–Whitney comparison of each Hone
/// sampler with each Optuna one, and the wall time per trial (ask, suggest, objective, tell) of each run.
/// </summary>
internal static class MultiObjectiveCommand
{
    public const string Usage =
        "mo [--samplers nsga2,nsga2-uniform,nsga3,motpe,auto] [--optuna-samplers nsga2,nsga2-sbx,motpe] [--problems zdt1,zdt2,zdt3,dtlz2,c2dtlz2,binhkorn] [--trials 1000] [--checkpoints 250,500,1000] [--seeds 10] [--population 50] [--tpe-trials N] [--no-optuna] [--python /usr/bin/python3]";

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
            if (p is not ("zdt1" or "zdt2" or "zdt3" or "dtlz2" or "c2dtlz2" or "binhkorn"))
            {
                throw new UsageException($"Unknown problem \"{p}\"; known: zdt1, zdt2, zdt3, dtlz2, c2dtlz2, binhkorn.");
            }
        }

        // (library, sampler, problem) -> per seed: hypervolume at each checkpoint, seconds per trial.
        var runs = new Dictionary<(string Library, string Sampler, string Problem), List<(double[] Hv, double MsPerTrial)>>();
        // The "gp" runs, like the TPE ones, stop at --tpe-trials (a GP's cost grows as the cube of the trials).
        foreach (var sampler in samplers)
        {
            foreach (var problem in problems)
            {
                for (var seed = 0; seed < seeds; seed++)
                {
                    var sampled = SamplerFactory(sampler, seed, population);
                    var study = Study.Create(new StudyOptions { Directions = Directions(problem), Sampler = sampled });
                    var n = sampler.StartsWith("motpe", StringComparison.Ordinal) || sampler.StartsWith("gp", StringComparison.Ordinal) ? tpeTrials : trials;
                    var start = Stopwatch.GetTimestamp();
                    study.Optimize(t =>
                    {
                        var (values, constraints) = Evaluate(problem, Suggest(t, problem));
                        for (var i = 0; i < constraints.Length; i++)
                        {
                            t.SetConstraint($"c{i}", constraints[i]);
                        }

                        return values;
                    }, new OptimizeOptions { Trials = n });
                    var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds / n;
                    var values = study.GetTrials(TrialState.Complete).Select(t => t.IsFeasible ? t.Values!.ToArray() : null).ToList();
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
                var constraints = r.TryGetProperty("constraints", out var cs) ? cs.EnumerateArray().Select(c => c.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToList() : null;
                var values = r.GetProperty("values").EnumerateArray().Select((v, i) =>
                    constraints is not null && constraints[i].Any(c => c > 0) ? null : v.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToList();
                var ms = r.GetProperty("seconds").GetDouble() * 1000 / values.Count;
                Add(runs, ("optuna", r.GetProperty("sampler").GetString()!, problem), (Checkpoints(values, problem, checkpoints), ms));
            }
        }

        Console.WriteLine($"Hypervolume of the complete (feasible) trials (median over {seeds} seeds; higher is better), population {population}; " +
                          $"ZDT: {ZdtDims} parameters, reference (1.1, 11); ZDT3's optimal front has hypervolume ≈ 11.87 there; DTLZ2 and C2-DTLZ2: {DtlzDims} parameters, reference (1.1, 1.1, 1.1); " +
                          "Binh–Korn: reference (140, 50).");
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

        if (samplers.Count > 1)
        {
            Console.WriteLine();
            Console.WriteLine("Hone's samplers against each other at each checkpoint both reached: P(first's hypervolume > second's) and the two-sided Mann–Whitney p.");
            Console.WriteLine();
            Console.WriteLine("| problem | first | second | trials | P(first higher) | p |");
            Console.WriteLine("|---|---|---|---:|---:|---:|");
            foreach (var problem in problems)
            {
                for (var i = 0; i < samplers.Count; i++)
                {
                    for (var j = i + 1; j < samplers.Count; j++)
                    {
                        var a = runs[("hone", samplers[i], problem)];
                        var b = runs[("hone", samplers[j], problem)];
                        for (var k = 0; k < checkpoints.Length; k++)
                        {
                            if (a.Any(x => double.IsNaN(x.Hv[k])) || b.Any(x => double.IsNaN(x.Hv[k])))
                            {
                                continue;
                            }

                            var (pHigher, p) = Stats.MannWhitney([.. a.Select(x => -x.Hv[k])], [.. b.Select(x => -x.Hv[k])]);
                            Console.WriteLine($"| {problem} | {samplers[i]} | {samplers[j]} | {checkpoints[k]} | {Format.Number(pHigher, "0.00")} | {Format.Number(p, "0.0000")} |");
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
        [.. Enumerable.Repeat(StudyDirection.Minimize, problem is "dtlz2" or "c2dtlz2" ? 3 : 2)];

    private static double[] Reference(string problem) => problem switch
    {
        "dtlz2" or "c2dtlz2" => [1.1, 1.1, 1.1],
        "binhkorn" => [140, 50],
        _ => [1.1, 11],
    };

    /// <summary>The parameters of a problem: Binh–Korn's x ∈ [0, 5], y ∈ [0, 3]; the others' unit cube.</summary>
    private static double[] Suggest(Trial t, string problem) => problem switch
    {
        "binhkorn" => [t.SuggestFloat("x0", 0, 5), t.SuggestFloat("x1", 0, 3)],
        "dtlz2" or "c2dtlz2" => [.. Enumerable.Range(0, DtlzDims).Select(i => t.SuggestFloat($"x{i}", 0, 1))],
        _ => [.. Enumerable.Range(0, ZdtDims).Select(i => t.SuggestFloat($"x{i}", 0, 1))],
    };

    /// <summary>
    /// The hypervolume of the feasible trials (null entries are infeasible ones) after each checkpoint; NaN (shown
    /// blank, left out of medians) past the end of a shorter run.
    /// </summary>
    private static double[] Checkpoints(List<double[]?> values, string problem, int[] checkpoints) =>
        [.. checkpoints.Select(c => c > values.Count ? double.NaN : Hypervolume.Compute([.. values.Take(c).OfType<double[]>()], Reference(problem)))];

    /// <summary>The objectives and the constraint values (≤ 0 satisfied; none for the unconstrained problems).</summary>
    private static (double[] Values, double[] Constraints) Evaluate(string problem, double[] x)
    {
        switch (problem)
        {
            case "binhkorn":
            {
                var (a, b) = (x[0], x[1]);
                return ([(4 * a * a) + (4 * b * b), ((a - 5) * (a - 5)) + ((b - 5) * (b - 5))],
                    [((a - 5) * (a - 5)) + (b * b) - 25, 7.7 - (((a - 8) * (a - 8)) + ((b + 3) * (b + 3)))]);
            }

            case "c2dtlz2":
            {
                var f = Dtlz2(x);
                const double r = 0.4;
                var m = f.Length;
                var best = double.PositiveInfinity;
                for (var i = 0; i < m; i++)
                {
                    var v = -(r * r);
                    for (var j = 0; j < m; j++)
                    {
                        v += j == i ? (f[j] - 1) * (f[j] - 1) : f[j] * f[j];
                    }

                    best = Math.Min(best, v);
                }

                var centre = -(r * r);
                for (var j = 0; j < m; j++)
                {
                    centre += (f[j] - (1 / Math.Sqrt(m))) * (f[j] - (1 / Math.Sqrt(m)));
                }

                return (f, [Math.Min(best, centre)]);
            }

            case "dtlz2":
                return (Dtlz2(x), []);

            default:
                return (Zdt(problem, x), []);
        }
    }

    private static double[] Dtlz2(double[] x)
    {
        var g = x.Skip(2).Sum(v => (v - 0.5) * (v - 0.5));
        var a = x[0] * Math.PI / 2;
        var b = x[1] * Math.PI / 2;
        return [(1 + g) * Math.Cos(a) * Math.Cos(b), (1 + g) * Math.Cos(a) * Math.Sin(b), (1 + g) * Math.Sin(a)];
    }

    private static double[] Zdt(string problem, double[] x)
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
                throw new UsageException($"Unknown problem \"{problem}\".");
        }
    }
}
