using Hone.Analysis;
using Hone.Bench.Cli;
using Hone.Bench.Results;
using Hone.Pruners;
using Hone.Samplers;
using Hone.Samplers.Tpe;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Bench.Commands;

/// <summary>
/// Pruning with several objectives: the <see cref="DominancePruner"/> against no pruning on a two-objective problem with
/// learning curves, for the same samplers and seeds. Reports the steps spent, the final hypervolume of the complete
/// trials, and the hypervolume the unpruned run had reached when it had spent as many steps as the pruned run spent in
/// all. Optuna cannot prune a multi-objective study (its RFC #3450), so there is no Optuna side.
/// </summary>
/// <remarks>
/// The problem: ZDT1 in 5 parameters (the final values), reached along a curve f(s) = f + exp(−r·s), s = 0 … 19, whose
/// rate r = 0.1 + 0.4·lr depends on a sixth parameter lr ∈ [0, 1], so the early ranking of curves is not the final one.
/// </remarks>
internal static class MultiObjectivePruningCommand
{
    public const string Usage = "mo-prune [--samplers motpe,random] [--trials 200] [--seeds 10] [--share 0.5] [--startup 5] [--warmup 2]";

    private const int Steps = 20;
    private static readonly double[] Reference = [2.1, 12];

    public static int Run(BenchArgs args)
    {
        var samplers = args.List("samplers", ["motpe", "random"]);
        var trials = args.Int("trials", 200, min: 1);
        var seeds = args.Int("seeds", 10, min: 1);
        var share = double.Parse(args.String("share", "0.5"), System.Globalization.CultureInfo.InvariantCulture);
        var startup = args.Int("startup", 5, min: 0);
        var warmup = args.Int("warmup", 2, min: 0);
        args.ThrowIfUnknown();

        Console.WriteLine($"ZDT1 (5 parameters) with learning curves of {Steps} steps, {trials} trials, median over {seeds} seeds; " +
                          $"reference ({Reference[0]}, {Reference[1]}); DominancePruner share {share}, startup {startup}, warm-up {warmup}.");
        Console.WriteLine();
        Console.WriteLine($"| sampler | steps, {trials} trials unpruned | steps, {trials} trials pruned | saved | HV unpruned | HV pruned, {trials} trials | HV pruned, same steps as unpruned | pruned trials (of {trials}) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var sampler in samplers)
        {
            var rows = new List<(double StepsNone, double StepsPruned, double HvNone, double HvPruned, double HvPrunedAtBudget, double Pruned)>();
            for (var seed = 0; seed < seeds; seed++)
            {
                var none = RunStudy(sampler, seed, trials, int.MaxValue, NopPruner.Instance);
                // The pruned run goes on until it has spent the steps of the unpruned one: equal budget.
                var pruned = RunStudy(sampler, seed, int.MaxValue, none.Steps,
                    new DominancePruner(new() { Share = share, StartupTrials = startup, WarmupSteps = warmup }));
                var first = pruned.Study.GetTrials().Take(trials).ToList();
                rows.Add((none.Steps, first.Sum(StepsOf), Hv(none.Study.GetTrials()), Hv(first), Hv(pruned.Study.GetTrials()),
                    first.Count(t => t.State == TrialState.Pruned)));
            }

            var stepsNone = Stats.Median(rows.Select(r => r.StepsNone));
            var stepsPruned = Stats.Median(rows.Select(r => r.StepsPruned));
            Console.WriteLine($"| {sampler} | {stepsNone:0} | {stepsPruned:0} | {Format.Number(1 - (stepsPruned / stepsNone), "0%")} | " +
                              $"{Format.Number(Stats.Median(rows.Select(r => r.HvNone)), "0.000")} | {Format.Number(Stats.Median(rows.Select(r => r.HvPruned)), "0.000")} | " +
                              $"{Format.Number(Stats.Median(rows.Select(r => r.HvPrunedAtBudget)), "0.000")} | {Stats.Median(rows.Select(r => r.Pruned)):0} |");
            var (pLower, p) = Stats.MannWhitney([.. rows.Select(r => r.HvPruned)], [.. rows.Select(r => r.HvNone)]);
            var (pHigher, q) = Stats.MannWhitney([.. rows.Select(r => -r.HvPrunedAtBudget)], [.. rows.Select(r => -r.HvNone)]);
            Console.WriteLine($"|  | P(pruned HV lower at {trials} trials) {Format.Number(pLower)}, p = {Format.Number(p, "0.0000")} | | | | | P(pruned HV higher at equal steps) {Format.Number(pHigher)}, p = {Format.Number(q, "0.0000")} | |");
        }

        return 0;
    }

    private static (Study Study, int Steps) RunStudy(string sampler, int seed, int trials, int budget, IPruner pruner)
    {
        ISampler s = sampler switch
        {
            "motpe" => new TpeSampler(new() { Seed = seed }),
            "random" => new RandomSampler(seed),
            _ => throw new UsageException($"Unknown sampler \"{sampler}\"; known: motpe, random."),
        };
        var study = Study.Create(new StudyOptions { Directions = [StudyDirection.Minimize, StudyDirection.Minimize], Sampler = s, Pruner = pruner });
        var steps = 0;
        double[] Objective(Trial t)
        {
            var x = Enumerable.Range(0, 5).Select(i => t.SuggestFloat($"x{i}", 0, 1)).ToArray();
            var rate = 0.1 + (0.4 * t.SuggestFloat("lr", 0, 1));
            var g = 1 + (9 * x.Skip(1).Sum() / 4);
            double[] final = [x[0], g * (1 - Math.Sqrt(x[0] / g))];
            double[] current = [];
            for (var step = 0; step < Steps; step++)
            {
                steps++;
                var gap = Math.Exp(-rate * step);
                current = [final[0] + gap, final[1] + gap];
                t.Report(current, step);
                if (t.ShouldPrune())
                {
                    throw new TrialPrunedException();
                }
            }

            return current;
        }

        study.Optimize(Objective, new OptimizeOptions { Trials = 1 });
        while (study.GetTrials().Count < trials && steps < budget)
        {
            study.Optimize(Objective, new OptimizeOptions { Trials = 1 });
        }

        return (study, steps);
    }

    private static int StepsOf(FrozenTrial t) => Math.Max(t.IntermediateVectors.Count, 1);

    private static double Hv(IEnumerable<FrozenTrial> trials) =>
        Hypervolume.Compute([.. trials.Where(t => t.State == TrialState.Complete).Select(t => t.Values!.ToArray())], Reference);
}
