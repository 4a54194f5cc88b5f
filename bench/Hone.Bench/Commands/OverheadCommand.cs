using System.Diagnostics;
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
/// tell, storage). The same with Optuna (bench/optuna/overhead.py) in the same run.
/// </summary>
internal static class OverheadCommand
{
    public const string Usage =
        "overhead [--trials 10000] [--params 5] [--repeats 5] [--seed 42] [--no-optuna] [--python /usr/bin/python3]";

    public static int Run(BenchArgs args)
    {
        var trials = args.Int("trials", 10_000, min: 1);
        var parameters = args.Int("params", 5, min: 1);
        var repeats = args.Int("repeats", 5, min: 1);
        var seed = args.Int("seed", 42);
        var skipOptuna = args.Flag("no-optuna");
        var python = new PythonRunner(args.String("python", PythonRunner.DefaultExecutable));
        args.ThrowIfUnknown();

        Console.WriteLine($"Overhead per trial: RandomSampler(seed), in-memory storage, 1 worker, {trials} trials, " +
                          $"objective = sum of {parameters} SuggestFloat in [0, 1]; median of {repeats} runs after 1 warm-up run.");
        Console.WriteLine($"Machine: {Environment.ProcessorCount} logical cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        Console.WriteLine();

        var names = Enumerable.Range(0, parameters).Select(i => $"x{i}").ToArray();
        var hone = new List<Measurement>();
        Measure(trials, names, seed);
        for (var r = 0; r < repeats; r++)
        {
            var m = Measure(trials, names, seed + r + 1);
            hone.Add(m);
            Console.WriteLine($"  hone   run {r + 1}: {Format.Number(m.MicrosecondsPerTrial)} µs/trial, {Format.Number(m.BytesPerTrial, "0")} B allocated/trial");
        }

        var honeMedian = Stats.Median(hone.Select(m => m.MicrosecondsPerTrial));
        var honeBytes = Stats.Median(hone.Select(m => m.BytesPerTrial));
        double? optunaMedian = null;
        string? optunaVersion = null;
        if (!skipOptuna)
        {
            var output = python.Run(RepoPaths.OptunaScript("overhead.py"),
                "--trials", $"{trials}", "--params", $"{parameters}", "--repeats", $"{repeats}", "--seed", $"{seed}");
            using var doc = JsonDocument.Parse(output);
            var runs = doc.RootElement.GetProperty("us_per_trial").EnumerateArray().Select(e => e.GetDouble()).ToList();
            optunaVersion = doc.RootElement.GetProperty("optuna_version").GetString();
            for (var r = 0; r < runs.Count; r++)
            {
                Console.WriteLine($"  optuna run {r + 1}: {Format.Number(runs[r])} µs/trial");
            }

            optunaMedian = Stats.Median(runs);
        }

        Console.WriteLine();
        Console.WriteLine("| framework | µs/trial (median) | min | max | allocated/trial |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine($"| Hone {typeof(Study).Assembly.GetName().Version} | {Format.Number(honeMedian)} | " +
                          $"{Format.Number(hone.Min(m => m.MicrosecondsPerTrial))} | {Format.Number(hone.Max(m => m.MicrosecondsPerTrial))} | " +
                          $"{Format.Number(honeBytes / 1024, "0.0")} KiB |");
        if (optunaMedian is { } o)
        {
            Console.WriteLine($"| Optuna {optunaVersion} | {Format.Number(o)} | | | |");
            Console.WriteLine();
            Console.WriteLine($"Ratio Optuna / Hone: {Format.Number(o / honeMedian, "0.0")}× (target ≥ 100×)");
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
