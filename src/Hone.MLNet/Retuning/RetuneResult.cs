using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hone.MLNet.Metrics;
using Hone.MLNet.Statistics;
using Hone.MLNet.Tuning;

namespace Hone.MLNet.Retuning;

/// <summary>What a re-tune found and did: the check, the new study's tuning result, and old against new on the new data.</summary>
public sealed class RetuneResult
{
    internal RetuneResult()
    {
    }

    /// <summary>The shift tests and score-drop check that led to the re-tune.</summary>
    public required RetuneCheck Check { get; init; }

    /// <summary>The new study's tuning result (its study is <see cref="TuneResult.Study"/>).</summary>
    public required TuneResult Tuning { get; init; }

    /// <summary>The old and new best configurations on the new data.</summary>
    public required RetuneComparison OldVsNew { get; init; }

    /// <summary>The new study's summary (<see cref="TuneResult.ToJson"/>) with two more parts: "retune" (the findings) and "old_vs_new".</summary>
    public string ToJson()
    {
        var root = JsonNode.Parse(Tuning.ToJson())!.AsObject();
        var c = Check;
        var d = c.Drop;
        root["retune"] = new JsonObject
        {
            ["retune_of"] = c.OldStudyName,
            ["decision"] = c.Decision,
            ["forced"] = c.Forced,
            ["rows"] = new JsonObject { ["old"] = c.OldRows, ["new"] = c.NewRows },
            ["alpha"] = c.Alpha,
            ["shifted"] = c.Shifted,
            ["columns"] = new JsonArray(c.Shifts.Select(s => (JsonNode?)new JsonObject
            {
                ["column"] = s.Column, ["test"] = s.Test, ["statistic"] = Finite(s.Statistic), ["p_value"] = Finite(s.PValue),
                ["adjusted_p_value"] = Finite(s.AdjustedPValue), ["shifted"] = s.Shifted,
            }).ToArray()),
            ["score_drop"] = new JsonObject
            {
                ["old_cv_mean"] = Finite(d.ReferenceMean),
                ["old_cv_ci95"] = Pair(d.ReferenceCiLow, d.ReferenceCiHigh),
                ["old_test"] = d.OldTestValue is { } t ? Finite(t) : null,
                ["new_data"] = Finite(d.NewValue),
                ["new_data_ci95"] = Pair(d.NewCiLow, d.NewCiHigh),
                ["new_rows"] = d.NewRows,
                ["drop"] = Finite(d.Drop),
                ["max_drop"] = d.MaxDrop,
                ["significant"] = d.Significant,
            },
        };
        var o = OldVsNew;
        root["old_vs_new"] = new JsonObject
        {
            ["old"] = new JsonObject { ["study"] = c.OldStudyName, ["trial"] = o.OldTrialNumber, ["trainer"] = o.OldTrainer, ["cv"] = Summary(o.Old), ["test"] = Test(o.OldTest) },
            ["new"] = new JsonObject { ["study"] = Tuning.Study.Name, ["trial"] = o.NewTrialNumber, ["trainer"] = o.NewTrainer, ["cv"] = Summary(o.New), ["test"] = Test(o.NewTest) },
            ["deployed_old_model_test"] = Test(o.DeployedTest),
            ["comparison"] = new JsonObject
            {
                ["mean_difference"] = Finite(o.Comparison.MeanDifference),
                ["new_better_folds"] = o.Comparison.TunedBetterFolds,
                ["folds"] = o.New.FoldScores.Count,
                ["wilcoxon"] = TestJson(o.Comparison.Wilcoxon),
                ["paired_t"] = TestJson(o.Comparison.PairedT),
            },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The new study's report (<see cref="TuneResult.FormatReport"/>) followed by old against new on the new data.</summary>
    public string FormatReport()
    {
        var b = new StringBuilder(Tuning.FormatReport());
        void Line(string text) => b.Append(text).Append('\n');
        var m = Check.Metric.ShortName();
        var o = OldVsNew;
        Line("");
        Line($"Old against new on the new data ({m}, {Tuning.Validation} of its {Tuning.TuningRows.Count} tuning rows, the same folds for both):");
        Line($"  old   {Check.OldStudyName} trial #{o.OldTrialNumber} {o.OldTrainer}: {F(o.Old.Mean)} ± {F(o.Old.StandardDeviation)} [{F(o.Old.CiLow)}, {F(o.Old.CiHigh)}]   folds {string.Join(" ", o.Old.FoldScores.Select(F))}");
        Line($"  new   {Tuning.Study.Name} trial #{o.NewTrialNumber} {o.NewTrainer}: {F(o.New.Mean)} ± {F(o.New.StandardDeviation)} [{F(o.New.CiLow)}, {F(o.New.CiHigh)}]   folds {string.Join(" ", o.New.FoldScores.Select(F))}");
        Line($"  new − old: {F(o.Comparison.MeanDifference)}; new better on {o.Comparison.TunedBetterFolds} of {o.New.FoldScores.Count} folds");
        Line($"  Wilcoxon signed-rank: W = {F(o.Comparison.Wilcoxon.Statistic)}, p = {P(o.Comparison.Wilcoxon.PValue)} ({o.Comparison.Wilcoxon.Method})");
        Line($"  paired t-test:        t = {F(o.Comparison.PairedT.Statistic)}, p = {P(o.Comparison.PairedT.PValue)} ({o.Comparison.PairedT.Method})");
        if (o.NewTest is { } nt)
        {
            Line($"Test {m} on the new data's {nt.Rows} held-out rows (95% bootstrap CI):");
            Line($"  new configuration, refit on the new tuning rows: {TestText(nt)}");
            if (o.OldTest is { } ot)
            {
                Line($"  old configuration, refit on the new tuning rows: {TestText(ot)}");
            }

            if (o.DeployedTest is { } dt)
            {
                Line($"  old model as deployed (fit on the old data):     {TestText(dt)}");
            }
        }

        return b.ToString();
    }

    private static string TestText(TestScore t) => $"{F(t.Value)} [{F(t.CiLow)}, {F(t.CiHigh)}]";

    private static JsonObject Summary(ScoreSummary s) => new()
    {
        ["fold_scores"] = new JsonArray(s.FoldScores.Select(v => (JsonNode?)JsonValue.Create(Finite(v))).ToArray()),
        ["mean"] = Finite(s.Mean),
        ["std"] = Finite(s.StandardDeviation),
        ["ci95"] = Pair(s.CiLow, s.CiHigh),
    };

    private static JsonObject? Test(TestScore? t) => t is null ? null : new JsonObject { ["value"] = Finite(t.Value), ["ci95"] = Pair(t.CiLow, t.CiHigh), ["rows"] = t.Rows };

    private static JsonObject TestJson(TestResult t) => new() { ["statistic"] = Finite(t.Statistic), ["p_value"] = Finite(t.PValue), ["method"] = t.Method };

    private static JsonArray Pair(double low, double high) => new(JsonValue.Create(Finite(low)), JsonValue.Create(Finite(high)));

    private static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string P(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.0000", CultureInfo.InvariantCulture);

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
