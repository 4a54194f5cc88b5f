using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Hone.Bench.Cli;
using Hone.Bench.Python;
using Hone.Bench.Results;
using Hone.Samplers;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Bench.Commands;

/// <summary>
/// Framework overhead per trial: a seeded random sampler, in-memory storage, one worker, and an objective
/// that only sums its float parameters in [0, 1], so nearly all the time is the framework's (ask, suggest,
/// tell, storage). Optuna does the same (bench/optuna/overhead.py --serve) in a long-lived Python process;
/// Hone and Optuna runs alternate, so that both see the same load on a noisy machine. Hone first runs a few
/// untimed warm-up studies, so that tiered compilation has replaced the first-tier code (on a busy 2-core
/// machine the background JIT takes a few seconds); Optuna one.
/// </summary>
internal static class OverheadCommand
{
    public const string Usage =
        "overhead [--trials 10000] [--params 5] [--repeats 5] [--warmup 3] [--seed 42] [--no-optuna] [--python /usr/bin/python3]";

    public static int Run(BenchArgs args)
    {
        var trials = args.Int("trials", 10_000, min: 1);
        var parameters = args.Int("params", 5, min: 1);
        var repeats = args.Int("repeats", 5, min: 1);
        var warmup = args.Int("warmup", 3, min: 0);
        var seed = args.Int("seed", 42);
        var skipOptuna = args.Flag("no-optuna");
        var python = args.String("python", PythonRunner.DefaultExecutable);
        args.ThrowIfUnknown();

        Console.WriteLine($"Overhead per trial: RandomSampler(seed), in-memory storage, 1 worker, {trials} trials, " +
                          $"objective = sum of {parameters} SuggestFloat in [0, 1]; {repeats} timed runs each, Hone and Optuna alternating, " +
                          $"after {warmup} untimed Hone run(s) (for the JIT's tiered compilation to settle) and 1 untimed Optuna run.");
        Console.WriteLine($"Machine: {Environment.ProcessorCount} logical cores, .NET {Environment.Version}, {RuntimeInformation.OSDescription}");
        Console.WriteLine();

        using var optuna = skipOptuna ? null : new PythonSession(python, RepoPaths.OptunaScript("overhead.py"),
            "--serve", "--trials", $"{trials}", "--params", $"{parameters}");
        string? optunaVersion = null;
        if (optuna is not null)
        {
            using var hello = JsonDocument.Parse(optuna.ReadLine());
            optunaVersion = hello.RootElement.GetProperty("optuna_version").GetString();
            optuna.Send($"run {seed}");
        }

        var names = Enumerable.Range(0, parameters).Select(i => $"x{i}").ToArray();
        for (var w = 0; w < warmup; w++)
        {
            Measure(trials, names, seed);
        }

        var hone = new List<Measurement>();
        var optunaRuns = new List<double>();
        for (var r = 0; r < repeats; r++)
        {
            var m = Measure(trials, names, seed + r + 1);
            hone.Add(m);
            Console.Write($"  run {r + 1}: hone {Format.Number(m.MicrosecondsPerTrial)} µs/trial ({Format.Number(m.BytesPerTrial, "0")} B allocated/trial)");
            if (optuna is not null)
            {
                using var answer = JsonDocument.Parse(optuna.Send($"run {seed + r + 1}"));
                var us = answer.RootElement.GetProperty("us_per_trial").GetDouble();
                optunaRuns.Add(us);
                Console.Write($", optuna {Format.Number(us)} µs/trial");
            }

            Console.WriteLine();
        }

        var honeTimes = hone.Select(m => m.MicrosecondsPerTrial).ToList();
        var honeMedian = Stats.Median(honeTimes);
        Console.WriteLine();
        Console.WriteLine("| framework | µs/trial, median | min | max | allocated/trial |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine($"| Hone {typeof(Study).Assembly.GetName().Version} | {Format.Number(honeMedian)} | " +
                          $"{Format.Number(honeTimes.Min())} | {Format.Number(honeTimes.Max())} | " +
                          $"{Format.Number(Stats.Median(hone.Select(m => m.BytesPerTrial)) / 1024, "0.0")} KiB |");
        if (optunaRuns.Count > 0)
        {
            var optunaMedian = Stats.Median(optunaRuns);
            Console.WriteLine($"| Optuna {optunaVersion} | {Format.Number(optunaMedian)} | {Format.Number(optunaRuns.Min())} | {Format.Number(optunaRuns.Max())} | |");
            Console.WriteLine();
            Console.WriteLine($"Ratio Optuna / Hone: {Format.Number(optunaMedian / honeMedian, "0.0")}× (medians), " +
                              $"{Format.Number(optunaRuns.Min() / honeTimes.Min(), "0.0")}× (fastest runs); target ≥ 100×.");
        }

        return 0;
    }

    private static Measurement Measure(int trials, string[] names, int seed)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var start = Stopwatch.GetTimestamp();

        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(seed) });
        study.Optimize(trial => Objective(trial, names), new OptimizeOptions { Trials = trials });

        var elapsed = Stopwatch.GetElapsedTime(start);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        if (study.Trials.Count != trials)
        {
            throw new InvalidOperationException($"Expected {trials} trials, the study has {study.Trials.Count}.");
        }

        return new Measurement(elapsed.TotalMicroseconds / trials, (double)allocated / trials);
    }

    private static double Objective(Trial trial, string[] names)
    {
        var sum = 0.0;
        foreach (var name in names)
        {
            sum += trial.SuggestFloat(name, 0, 1);
        }

        return sum;
    }

    private readonly record struct Measurement(double MicrosecondsPerTrial, double BytesPerTrial);
}
