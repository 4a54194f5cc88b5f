using System.Globalization;
using Hone.Analysis.Refinement;
using Hone.Bench.Cli;
using Hone.Bench.Problems;
using Hone.Bench.Results;
using Hone.Distributions;
using Hone.Samplers.Tpe;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Bench.Commands;

/// <summary>
/// Does coarse-to-fine help at equal budget? For each problem and seed: TPE for the whole budget in one study, against
/// TPE for the first <c>--split</c> trials, <see cref="RangeRefinement"/> of that study, and TPE for the rest of the budget
/// in a new study on the narrowed ranges (the best of both studies counts). Median regrets, wins and a Mann–Whitney test.
/// </summary>
internal static class RefineCommand
{
    public const string Usage =
        "refine [--problems branin2,hartmann6,rosenbrock5,ackley5,levy10,styblinski5,plateau] [--budget 100] [--split 50] [--seeds 10] [--quantile 25] [--margin 10]";

    public static int Run(BenchArgs args)
    {
        var problems = args.List("problems", ["branin2", "hartmann6", "rosenbrock5", "ackley5", "levy10", "styblinski5", "plateau"]).Select(ProblemCatalog.Get).ToList();
        var budget = args.Int("budget", 100, min: 2);
        var split = args.Int("split", 50, min: 1);
        var seeds = args.Int("seeds", 10, min: 1);
        var options = new RangeRefinementOptions { Quantile = args.Int("quantile", 25, min: 1) / 100.0, Margin = args.Int("margin", 10, min: 0) / 100.0 };
        args.ThrowIfUnknown();
        if (split >= budget)
        {
            throw new UsageException($"--split {split} must be below --budget {budget}.");
        }

        Console.WriteLine(FormattableString.Invariant(
            $"TPE {budget} trials vs TPE {split} + refine (best {options.Quantile:0.##}, margin {options.Margin:0.##}) + TPE {budget - split}; {seeds} seeds; regret = best - optimum (lower is better)"));
        Console.WriteLine("| problem | one study: median regret | coarse to fine: median regret | refine better / worse (seeds) | P(refine lower) | p (Mann-Whitney) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var problem in problems)
        {
            var plain = new List<double>();
            var refined = new List<double>();
            for (var seed = 0; seed < seeds; seed++)
            {
                var one = Study.Create(new StudyOptions { Sampler = new TpeSampler(new() { Seed = seed }) });
                one.Optimize(problem.Evaluate, new OptimizeOptions { Trials = budget });
                plain.Add(one.BestValue - problem.Optimum);

                var coarse = Study.Create(new StudyOptions { Sampler = new TpeSampler(new() { Seed = seed }) });
                coarse.Optimize(problem.Evaluate, new OptimizeOptions { Trials = split });
                var ranges = RangeRefinement.Refine(coarse, options).ToDictionary(r => r.Name, r => r.After);
                var fine = Study.Create(new StudyOptions { Sampler = new TpeSampler(new() { Seed = seed + 1000 }) });
                var space = problem.Space.ToDictionary(p => p.Key, p => ranges.TryGetValue(p.Key, out var narrowed) ? narrowed : p.Value);
                for (var i = split; i < budget; i++)
                {
                    var trial = fine.Ask(space);
                    fine.Tell(trial, problem.Evaluate(new FixedTrial(trial.Params)));
                }

                refined.Add(Math.Min(coarse.BestValue, fine.BestValue) - problem.Optimum);
            }

            var better = plain.Zip(refined).Count(p => p.Second < p.First);
            var worse = plain.Zip(refined).Count(p => p.Second > p.First);
            var (lower, p) = Stats.MannWhitney(refined, plain);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {problem.Name} | {Stats.Median(plain):G4} | {Stats.Median(refined):G4} | {better} / {worse} | {lower:0.00} | {p:0.000} |"));
        }

        return 0;
    }
}
