using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hone.MLNet.Metrics;
using Hone.MLNet.Resources;
using Hone.MLNet.SearchSpaces;
using Hone.MLNet.Statistics;
using Hone.MLNet.Validation;
using Hone.Studies;
using Microsoft.ML;

namespace Hone.MLNet.Tuning;

/// <summary>
/// Everything a tuning run found: the best configuration, its fold scores against the trainer's default on
/// the same folds, the refit model and its test score, and how the run went.
/// </summary>
public sealed class TuneResult
{
    internal TuneResult()
    {
    }

    /// <summary>The task.</summary>
    public required TuningTask Task { get; init; }

    /// <summary>The metric.</summary>
    public required TuningMetric Metric { get; init; }

    /// <summary>The metric's direction.</summary>
    public StudyDirection Direction => Metric.Direction();

    /// <summary>The label column.</summary>
    public required string LabelColumn { get; init; }

    /// <summary>The feature columns the model reads (tuned on a data view: the slots of its "Features" input vector, in order).</summary>
    public required IReadOnlyList<string> FeatureNames { get; init; }

    /// <summary>Class names by class index (classification; the model's key k is class k − 1).</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>Rows in the data.</summary>
    public required int RowCount { get; init; }

    /// <summary>Ids (0-based data order) of the rows tuned on.</summary>
    public required IReadOnlyList<int> TuningRows { get; init; }

    /// <summary>Ids of the test rows, split off before tuning and used once, after the refit.</summary>
    public required IReadOnlyList<int> TestRows { get; init; }

    /// <summary>The validation folds every trial was scored on.</summary>
    public required IReadOnlyList<Fold> Folds { get; init; }

    /// <summary>The validation strategy's description.</summary>
    public required string Validation { get; init; }

    /// <summary>The seeds used.</summary>
    public required TuneSeeds Seeds { get; init; }

    /// <summary>The trainers searched.</summary>
    public required IReadOnlyList<string> Trainers { get; init; }

    /// <summary>The study (its trials hold the fold scores in the user attribute "fold_scores").</summary>
    public required Study Study { get; init; }

    /// <summary>The best trial's number.</summary>
    public required int BestTrialNumber { get; init; }

    /// <summary>The best trial's trainer.</summary>
    public required string BestTrainer { get; init; }

    /// <summary>The best trial's option values, by ML.NET option name.</summary>
    public required IReadOnlyDictionary<string, object?> BestParameters { get; init; }

    /// <summary>
    /// The best pipeline's preprocessing choices by study parameter name ("prep.missing", "prep.normalize",
    /// "prep.encoding", ...), tuned or fixed; empty when the data was a prepared data view.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Preprocessing { get; init; } = new Dictionary<string, object?>();

    /// <summary>Whether the preprocessing choices were tuned (false: the fixed featurization, or no pipeline).</summary>
    public bool PreprocessingTuned { get; init; }

    /// <summary>The kind each feature column was read as (empty when the data was a prepared data view).</summary>
    public IReadOnlyDictionary<string, Data.ColumnKind> ColumnKinds { get; init; } = new Dictionary<string, Data.ColumnKind>();

    /// <summary>The best trial's cross-validated metrics (every metric of the task, averaged over its folds), by short name.</summary>
    public IReadOnlyDictionary<string, double> BestMetrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The refit model's metrics on the test rows, by short name (empty without a test set).</summary>
    public IReadOnlyDictionary<string, double> TestMetrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Problems in the data that did not stop the run, e.g. a single-valued column left out.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The best trainer's default option values (null: chosen by ML.NET from the data).</summary>
    public required IReadOnlyDictionary<string, object?> DefaultParameters { get; init; }

    /// <summary>The best configuration on the folds.</summary>
    public required ScoreSummary Best { get; init; }

    /// <summary>The best trainer's default configuration on the same folds.</summary>
    public required ScoreSummary Default { get; init; }

    /// <summary>Best versus default, fold by fold.</summary>
    public required PairedComparison Comparison { get; init; }

    /// <summary>The refit model's test score; null when <see cref="TuneOptions.TestFraction"/> is 0.</summary>
    public required TestScore? Test { get; init; }

    /// <summary>The default configuration's test score (refit on the same tuning rows), for reference.</summary>
    public required double? DefaultTestValue { get; init; }

    /// <summary>
    /// The best configuration refit on all tuning rows. Tuned on a table, it reads the raw feature columns by name
    /// (numeric as Single with NaN for a missing value, categorical and text as Text); tuned on a data view, a Single
    /// vector "Features" (see <see cref="FeatureNames"/>).
    /// </summary>
    public required ITransformer Model { get; init; }

    /// <summary>The schema the model reads.</summary>
    public required DataViewSchema ModelInputSchema { get; init; }

    /// <summary>Trials this run started.</summary>
    public required int TrialsRun { get; init; }

    /// <summary>Trials that scored every fold.</summary>
    public required int TrialsComplete { get; init; }

    /// <summary>Trials a pruner stopped after some folds.</summary>
    public required int TrialsPruned { get; init; }

    /// <summary>Trials that failed (the reason is in the trial's system attribute fail_reason).</summary>
    public required int TrialsFailed { get; init; }

    /// <summary>Estimated fitting time pruning saved: for each pruned trial, its folds not run × its mean fold time.</summary>
    public required TimeSpan PruningTimeSaved { get; init; }

    /// <summary>What the trials used: CPU time, peak memory and energy, and whether a budget stopped the run.</summary>
    public ResourceTotals? Resources { get; init; }

    /// <summary>
    /// The re-evaluation of the best configurations on fresh folds that chose <see cref="BestTrialNumber"/>, with the
    /// winner's-curse gap and its cost; null when it did not run (<see cref="ReevaluationSkipped"/> says why).
    /// </summary>
    public Selection.ReevaluationResult? Reevaluation { get; init; }

    /// <summary>Why re-evaluation did not run (null when it ran).</summary>
    public string? ReevaluationSkipped { get; init; }

    /// <summary>Time spent in trials.</summary>
    public required TimeSpan TuningElapsed { get; init; }

    /// <summary>Time of the final refit.</summary>
    public required TimeSpan RefitElapsed { get; init; }

    /// <summary>The cost tuned against the metric, or <see cref="Tuning.SecondObjective.None"/>.</summary>
    public SecondObjective SecondObjective { get; init; }

    /// <summary>With a second objective, the Pareto set of the study, best metric first; empty otherwise.</summary>
    public IReadOnlyList<ParetoPoint> ParetoFront { get; init; } = [];

    /// <summary>The chosen trade-off's cross-validated second objective (null without one).</summary>
    public double? BestCost { get; init; }

    /// <summary>The refit model's second objective: its saved size, its test latency per row, or its refit time (null without one).</summary>
    public double? RefitCost { get; init; }

    /// <summary>The limit the trade-off was chosen under (<see cref="TuneOptions.MaxSecondObjective"/>), or null for the knee.</summary>
    public double? MaxSecondObjective { get; init; }

    /// <summary>Wall time of the whole run (checks, trials, default scoring, refit, test).</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Saves the refit model as an ML.NET .zip (load it with <c>mlContext.Model.Load</c>).</summary>
    public void SaveModel(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        new MLContext().Model.Save(Model, ModelInputSchema, path);
    }

    /// <summary>The summary as JSON: configuration, statistics, test score, trials, seeds.</summary>
    public string ToJson()
    {
        static JsonArray Numbers(IEnumerable<double> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(Finite(v))).ToArray());
        static JsonObject Summary(ScoreSummary s) => new()
        {
            ["fold_scores"] = Numbers(s.FoldScores),
            ["mean"] = Finite(s.Mean),
            ["std"] = Finite(s.StandardDeviation),
            ["ci95"] = Numbers([s.CiLow, s.CiHigh]),
        };
        static JsonObject TestJson(TestResult t) => new() { ["statistic"] = Finite(t.Statistic), ["p_value"] = Finite(t.PValue), ["method"] = t.Method };
        static JsonObject Parameters(IReadOnlyDictionary<string, object?> p) =>
            new(p.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value is null ? null : JsonValue.Create(JsonSerializer.SerializeToElement(kv.Value)))));

        var root = new JsonObject
        {
            ["task"] = Task.ShortName(),
            ["metric"] = Metric.ShortName(),
            ["direction"] = Direction.ToString().ToLowerInvariant(),
            ["label"] = LabelColumn,
            ["features"] = new JsonArray(FeatureNames.Select(n => (JsonNode?)n).ToArray()),
            ["classes"] = new JsonArray(ClassNames.Select(n => (JsonNode?)n).ToArray()),
            ["rows"] = new JsonObject { ["total"] = RowCount, ["tuning"] = TuningRows.Count, ["test"] = TestRows.Count },
            ["validation"] = Validation,
            ["seeds"] = new JsonObject { ["seed"] = Seeds.Seed, ["test_split"] = Seeds.TestSplit, ["folds"] = Seeds.Folds, ["sampler"] = Seeds.Sampler, ["bootstrap"] = Seeds.Bootstrap, ["mlnet"] = Seeds.MLNet },
            ["trainers"] = new JsonArray(Trainers.Select(n => (JsonNode?)n).ToArray()),
            ["study"] = Study.Name,
            ["best"] = new JsonObject
            {
                ["trial"] = BestTrialNumber,
                ["trainer"] = BestTrainer,
                ["params"] = Parameters(BestParameters),
                ["preprocessing"] = Parameters(Preprocessing),
                ["preprocessing_tuned"] = PreprocessingTuned,
                ["cv"] = Summary(Best),
                ["metrics"] = new JsonObject(BestMetrics.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, Finite(kv.Value)))),
                ["test_metrics"] = new JsonObject(TestMetrics.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, Finite(kv.Value)))),
            },
            ["columns"] = new JsonObject(ColumnKinds.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value.ToString().ToLowerInvariant()))),
            ["warnings"] = new JsonArray(Warnings.Select(w => (JsonNode?)w).ToArray()),
            ["default"] = new JsonObject
            {
                ["trainer"] = BestTrainer,
                ["params"] = Parameters(DefaultParameters),
                ["cv"] = Summary(Default),
                ["test"] = DefaultTestValue is { } d ? Finite(d) : null,
            },
            ["comparison"] = new JsonObject
            {
                ["mean_difference"] = Finite(Comparison.MeanDifference),
                ["tuned_better_folds"] = Comparison.TunedBetterFolds,
                ["folds"] = Best.FoldScores.Count,
                ["wilcoxon"] = TestJson(Comparison.Wilcoxon),
                ["paired_t"] = TestJson(Comparison.PairedT),
            },
            ["test"] = Test is { } t ? new JsonObject { ["value"] = Finite(t.Value), ["ci95"] = Numbers([t.CiLow, t.CiHigh]), ["rows"] = t.Rows } : null,
            ["trials"] = new JsonObject
            {
                ["run"] = TrialsRun,
                ["complete"] = TrialsComplete,
                ["pruned"] = TrialsPruned,
                ["failed"] = TrialsFailed,
                ["pruning_time_saved_seconds"] = Math.Round(PruningTimeSaved.TotalSeconds, 3),
            },
            ["second_objective"] = SecondObjective == SecondObjective.None ? null : new JsonObject
            {
                ["name"] = SecondObjective.ShortName(),
                ["unit"] = SecondObjective.Unit(),
                ["rule"] = MaxSecondObjective is { } max ? $"best {Metric.ShortName()} with cost <= {max}" : "knee",
                ["chosen_cv_cost"] = BestCost is { } bc ? Finite(bc) : null,
                ["refit_cost"] = RefitCost is { } rc ? Finite(rc) : null,
                ["pareto"] = new JsonArray(ParetoFront.Select(p => (JsonNode?)new JsonObject
                {
                    ["trial"] = p.TrialNumber, ["trainer"] = p.Trainer, ["metric"] = Finite(p.Metric), ["cost"] = Finite(p.Cost),
                }).ToArray()),
            },
            ["reevaluation"] = ReevaluationJson(),
            ["resources"] = Resources is { } r ? new JsonObject
            {
                ["trial_wall_seconds"] = Math.Round(r.TrialWallSeconds, 3),
                ["cpu_seconds"] = Math.Round(r.CpuSeconds, 3),
                ["peak_working_set_mb"] = Math.Round(r.PeakWorkingSetBytes / 1048576.0, 1),
                ["energy_wh"] = Math.Round(r.EnergyWattHours, 5),
                ["energy_method"] = r.EnergyMethod,
                ["budget_stop"] = r.BudgetStop,
            } : null,
            ["seconds"] = new JsonObject
            {
                ["tuning"] = Math.Round(TuningElapsed.TotalSeconds, 3),
                ["refit"] = Math.Round(RefitElapsed.TotalSeconds, 3),
                ["total"] = Math.Round(Elapsed.TotalSeconds, 3),
            },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>A human-readable report: best configuration, statistics, test score and run summary.</summary>
    public string FormatReport()
    {
        var m = Metric.ShortName();
        var b = new StringBuilder();
        void Line(string text) => b.Append(text).Append('\n');
        Line($"Task {Task.ShortName()}, metric {m} ({Direction.ToString().ToLowerInvariant()}), label \"{LabelColumn}\", {FeatureNames.Count} features" +
             (ColumnKinds.Count > 0 && ColumnKinds.Values.Any(k => k != Data.ColumnKind.Numeric)
                 ? $" ({string.Join(", ", ColumnKinds.GroupBy(kv => kv.Value).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"))})"
                 : ""));
        foreach (var warning in Warnings)
        {
            Line($"Warning: {warning}");
        }

        Line($"Rows: {RowCount} = {TuningRows.Count} tuning + {TestRows.Count} test; validation {Validation}; {Seeds}");
        Line($"Trials: {TrialsRun} run, {TrialsComplete} complete, {TrialsPruned} pruned, {TrialsFailed} failed; tuning took {TuningElapsed.TotalSeconds:0.0} s, " +
             $"and pruning saved an estimated {PruningTimeSaved.TotalSeconds:0.0} s (the pruned trials' remaining folds at their mean fold time)");
        Line("");
        if (SecondObjective != SecondObjective.None)
        {
            var unit = SecondObjective.Unit();
            Line($"Pareto set of {m} against {SecondObjective.ShortName()} ({unit}, minimised), {ParetoFront.Count} trial(s):");
            foreach (var p in ParetoFront)
            {
                Line($"  {(p.TrialNumber == BestTrialNumber ? "*" : " ")} trial #{p.TrialNumber,-4} {p.Trainer,-28} {m} {F(p.Metric)}   {SecondObjective.ShortName()} {C(p.Cost)} {unit}");
            }

            Line(MaxSecondObjective is { } max
                ? $"Chosen (*): the best {m} with {SecondObjective.ShortName()} ≤ {C(max)} {unit} (the cheapest if none is)"
                : $"Chosen (*): the knee, the Pareto trial nearest the ideal point with both objectives scaled to [0, 1] over the set");
            if (RefitCost is { } rc)
            {
                Line($"Refit model's {SecondObjective.ShortName()}: {C(rc)} {unit}");
            }

            Line("");
        }

        Line($"{(SecondObjective == SecondObjective.None ? "Best" : "Chosen")} trial #{BestTrialNumber}: {BestTrainer}" +
             (Reevaluation is { WinnerChanged: true } re ? $" (chosen by re-evaluation on fresh folds; the best by tuning score is #{re.TopTrialNumber})" : ""));
        foreach (var (name, value) in BestParameters)
        {
            var defaultValue = DefaultParameters.TryGetValue(name, out var d) ? TrainerSearchSpace.Format(d) : "?";
            Line($"  {name,-28} {TrainerSearchSpace.Format(value),-12} (default {defaultValue})");
        }

        if (Preprocessing.Count > 0)
        {
            Line($"  preprocessing ({(PreprocessingTuned ? "tuned" : "fixed")}): {string.Join(", ", Preprocessing.Select(kv => $"{kv.Key["prep.".Length..]} {TrainerSearchSpace.Format(kv.Value)}"))}");
        }

        if (BestMetrics.Count > 0)
        {
            Line($"  cross-validated metrics: {string.Join(", ", BestMetrics.Select(kv => $"{kv.Key} {F(kv.Value)}"))}");
        }

        Line("");
        Line($"Cross-validated {m} over {Best.FoldScores.Count} folds (mean ± sd [95% bootstrap CI of the mean]):");
        Line($"  tuned   {F(Best.Mean)} ± {F(Best.StandardDeviation)} [{F(Best.CiLow)}, {F(Best.CiHigh)}]   folds {string.Join(" ", Best.FoldScores.Select(F))}");
        Line($"  default {F(Default.Mean)} ± {F(Default.StandardDeviation)} [{F(Default.CiLow)}, {F(Default.CiHigh)}]   folds {string.Join(" ", Default.FoldScores.Select(F))}");
        Line($"  tuned − default: {F(Comparison.MeanDifference)}; tuned better on {Comparison.TunedBetterFolds} of {Best.FoldScores.Count} folds");
        Line($"  Wilcoxon signed-rank: W = {F(Comparison.Wilcoxon.Statistic)}, p = {P(Comparison.Wilcoxon.PValue)} ({Comparison.Wilcoxon.Method})");
        Line($"  paired t-test:        t = {F(Comparison.PairedT.Statistic)}, p = {P(Comparison.PairedT.PValue)} ({Comparison.PairedT.Method})");
        Line("  (the tuned score is the best of many trials on these folds, so it is optimistically biased; the test score is not)");
        Line("");
        FormatReevaluation(Line);
        if (Test is { } t)
        {
            Line($"Test {m} of the refit model on {t.Rows} held-out rows: {F(t.Value)} [95% bootstrap CI {F(t.CiLow)}, {F(t.CiHigh)}]" +
                 (DefaultTestValue is { } dt ? $"; default config refit: {F(dt)}" : ""));
            if (TestMetrics.Count > 0)
            {
                Line($"  test metrics: {string.Join(", ", TestMetrics.Select(kv => $"{kv.Key} {F(kv.Value)}"))}");
            }
        }
        else
        {
            Line("No test set (TestFraction = 0).");
        }

        Line($"Wall time {Elapsed.TotalSeconds:0.0} s (tuning {TuningElapsed.TotalSeconds:0.0} s, refit {RefitElapsed.TotalSeconds:0.00} s)");
        if (Resources is { } r)
        {
            Line($"Cost of the trials: {r.CpuSeconds:0.0} s CPU, {r.EnergyWattHours:0.####} Wh ({r.EnergyMethod}), peak memory {r.PeakWorkingSetBytes / 1048576.0:0} MB");
            if (r.BudgetStop is { } stop)
            {
                Line($"Stopped starting trials early: {stop}.");
            }
        }

        return b.ToString();
    }

    private JsonObject ReevaluationJson()
    {
        if (Reevaluation is not { } r)
        {
            return new JsonObject { ["ran"] = false, ["skipped"] = ReevaluationSkipped };
        }

        return new JsonObject
        {
            ["ran"] = true,
            ["top"] = r.Top,
            ["repeats"] = r.Repeats,
            ["folds_per_repeat"] = r.FoldsPerRepeat,
            ["fold_seeds"] = new JsonArray(r.FoldSeeds.Select(x => (JsonNode?)x).ToArray()),
            ["rule"] = Selection.ReevaluationResult.Rule,
            ["winner"] = r.WinnerTrialNumber,
            ["top_trial"] = r.TopTrialNumber,
            ["winner_changed"] = r.WinnerChanged,
            ["gap"] = Finite(r.Gap),
            ["gap_ci95"] = new JsonArray(Finite(r.GapCiLow), Finite(r.GapCiHigh)),
            ["gap_folds"] = r.GapFolds,
            ["fits"] = r.Fits,
            ["trials_worth"] = Math.Round(r.TrialsWorth, 2),
            ["seconds"] = Math.Round(r.Elapsed.TotalSeconds, 3),
            ["candidates"] = new JsonArray(r.Candidates.Select(c => (JsonNode?)new JsonObject
            {
                ["trial"] = c.TrialNumber,
                ["trainer"] = c.Trainer,
                ["rank"] = c.Rank,
                ["tuned"] = Finite(c.TunedValue),
                ["fresh_mean"] = Finite(c.Mean),
                ["fresh_fold_scores"] = new JsonArray(c.FoldScores.Select(v => (JsonNode?)JsonValue.Create(Finite(v))).ToArray()),
                ["status"] = c.Status.ToString().ToLowerInvariant(),
                ["eliminated_after_repeat"] = c.EliminatedAfterRepeat,
                ["fail_reason"] = c.FailReason,
            }).ToArray()),
        };
    }

    private void FormatReevaluation(Action<string> line)
    {
        if (Reevaluation is not { } r)
        {
            if (ReevaluationSkipped is { } why)
            {
                line($"Re-evaluation on fresh folds: {why}.");
                line("");
            }

            return;
        }

        var m = Metric.ShortName();
        line($"Re-evaluation (racing) of the {r.Candidates.Count} best configuration(s) on {r.Repeats} fresh split(s) of the tuning rows ({Validation}, seeds {string.Join(", ", r.FoldSeeds)}; the test rows untouched):");
        line($"  {"rank",-4} {"trial",-6} {"trainer",-28} {"tuned",-8} {"fresh",-8} {"folds",-5} status");
        foreach (var c in r.Candidates)
        {
            var status = c.Status switch
            {
                Selection.ReevaluationStatus.Eliminated => $"eliminated after repeat {c.EliminatedAfterRepeat}",
                Selection.ReevaluationStatus.Failed => $"failed: {c.FailReason}",
                _ => c.Status.ToString().ToLowerInvariant(),
            };
            line($"  {c.Rank,-4} {"#" + c.TrialNumber.ToString(CultureInfo.InvariantCulture),-6} {c.Trainer,-28} {F(c.TunedValue),-8} {(double.IsNaN(c.Mean) ? "-" : F(c.Mean)),-8} {c.FoldScores.Count,-5} {status}");
        }

        line(r.WinnerTrialNumber is not { } w
            ? $"  Every fresh fit failed; the study's best trial #{r.TopTrialNumber} is refit."
            : r.WinnerChanged
                ? $"  Refit: trial #{w}, the best {m} on the fresh folds, instead of the study's best trial #{r.TopTrialNumber}."
                : $"  Refit: trial #{w}, the study's best trial, also the best {m} on the fresh folds.");
        if (double.IsFinite(r.Gap))
        {
            var top = r.Candidates[0];
            line($"  Winner's-curse gap of trial #{r.TopTrialNumber}: tuned {F(top.TunedValue)} vs fresh {F(top.Mean)} = {F(r.Gap)} [95% bootstrap CI {F(r.GapCiLow)}, {F(r.GapCiHigh)}] over {r.GapFolds} fresh folds (positive: the tuning score was optimistic)");
        }

        line($"  Cost: {r.Fits} fits ({r.TrialsWorth:0.#} trials' worth), {r.Elapsed.TotalSeconds:0.0} s");
        line("");
    }

    private static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string C(double v) => v.ToString(v >= 100 ? "0" : "0.###", CultureInfo.InvariantCulture);

    private static string P(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.0000", CultureInfo.InvariantCulture);

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
