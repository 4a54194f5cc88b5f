using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hone.Distributions;
using Hone.MLNet.Metrics;
using Hone.MLNet.Tuning;
using Hone.MLNet.Validation;
using Hone.Studies;
using Hone.Trials;

namespace Hone.MLNet.Retuning;

/// <summary>
/// What a study made by <see cref="MLNetTuner"/> records about how it was tuned (the study user attribute
/// "hone.mlnet"), read back so that re-tuning repeats the same task, metric, label, splits and columns.
/// </summary>
internal sealed partial record TunedStudy(
    Study Study, TuningTask Task, TuningMetric Metric, string Label, ValidationStrategy Validation, double TestFraction, int Seed,
    bool PreprocessingTuned, IReadOnlyList<string> Ignore, IReadOnlyList<string> Categorical, IReadOnlyList<string> Text,
    IReadOnlyList<string> Trainers, FrozenTrial Best)
{
    /// <summary>The study user attribute <see cref="MLNetTuner"/> writes its settings to.</summary>
    public const string SettingsKey = "hone.mlnet";

    /// <exception cref="ArgumentException">The study was not made by a tuner, has several objectives, or has no complete trial.</exception>
    public static TunedStudy Read(Study study)
    {
        ArgumentNullException.ThrowIfNull(study);
        if (!study.UserAttrs.TryGetValue(SettingsKey, out var s) || s.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"Study \"{study.Name}\" was not made by hone tune (MLNetTuner): it has no \"{SettingsKey}\" user attribute saying what it tuned.", nameof(study));
        }

        if (study.IsMultiObjective)
        {
            throw new ArgumentException($"Study \"{study.Name}\" has {study.Directions.Count} objectives; re-tuning takes a single-objective study.", nameof(study));
        }

        if (study.GetTrials(TrialState.Complete).Count == 0)
        {
            throw new ArgumentException($"Study \"{study.Name}\" has no complete trial, so it has no best configuration to check or start from.", nameof(study));
        }

        string Text(string key) => s.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;
        IReadOnlyList<string> List(string key) => s.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray()
            : [];
        var task = TuningTasks.Parse(Text("task"));
        var metric = TuningMetrics.Parse(Text("metric"));
        var validation = ParseValidation(Text("validation")) ?? (task.IsClassification() ? ValidationStrategy.StratifiedKFold(5) : ValidationStrategy.KFold(5));
        var testFraction = s.TryGetProperty("test_fraction", out var tf) && tf.ValueKind == JsonValueKind.Number ? tf.GetDouble() : 0.2;
        var seed = s.TryGetProperty("seed", out var sd) && sd.ValueKind == JsonValueKind.Number ? sd.GetInt32() : 0;
        var best = study.BestTrial;
        return new TunedStudy(study, task, metric, Text("label"), validation, testFraction, seed, Text("preprocessing") != "fixed",
            List("ignore"), List("categorical"), List("text"), TrainersOf(study, best), best);
    }

    /// <summary>The trainer of a trial: its "trainer" parameter when the study chose among several, else its "trainer" user attribute.</summary>
    public static string TrainerOf(FrozenTrial trial) =>
        trial.Params.TryGetValue("trainer", out var t) && t is string name ? name
        : trial.UserAttrs.TryGetValue("trainer", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : string.Empty;

    /// <summary>The old best trial's fold scores ("fold_scores"), or its value alone when they were not recorded.</summary>
    public IReadOnlyList<double> BestFoldScores =>
        Best.UserAttrs.TryGetValue("fold_scores", out var e) && e.ValueKind == JsonValueKind.Array && e.GetArrayLength() > 0
            ? e.EnumerateArray().Select(x => x.GetDouble()).ToArray()
            : [Best.Values![0]];

    /// <summary>The trainers searched: the choices of the "trainer" parameter, or the one trainer every trial used.</summary>
    private static IReadOnlyList<string> TrainersOf(Study study, FrozenTrial best)
    {
        if (best.Distributions.TryGetValue("trainer", out var d) && d is CategoricalDistribution c)
        {
            return c.Choices.OfType<string>().ToArray();
        }

        return [TrainerOf(best)];
    }

    /// <summary>Reads a <see cref="ValidationStrategy.Description"/> back; null when it is not one of the known forms.</summary>
    internal static ValidationStrategy? ParseValidation(string description)
    {
        static int I(Group g) => int.Parse(g.Value, CultureInfo.InvariantCulture);
        if (HoldOutPattern().Match(description) is { Success: true } h)
        {
            return ValidationStrategy.HoldOut(double.Parse(h.Groups[1].Value, CultureInfo.InvariantCulture), h.Groups[2].Success);
        }

        if (RepeatedPattern().Match(description) is { Success: true } r)
        {
            return ValidationStrategy.RepeatedKFold(I(r.Groups[3]), I(r.Groups[1]), r.Groups[2].Success);
        }

        if (TimePattern().Match(description) is { Success: true } t)
        {
            return ValidationStrategy.TimeOrdered(I(t.Groups[1]));
        }

        if (KFoldPattern().Match(description) is { Success: true } k)
        {
            return k.Groups[1].Success ? ValidationStrategy.StratifiedKFold(I(k.Groups[2])) : ValidationStrategy.KFold(I(k.Groups[2]));
        }

        return null;
    }

    [GeneratedRegex(@"^hold-out ([0-9.]+)( \(stratified\))?$")]
    private static partial Regex HoldOutPattern();

    [GeneratedRegex(@"^([0-9]+)× repeated (stratified )?([0-9]+)-fold$")]
    private static partial Regex RepeatedPattern();

    [GeneratedRegex(@"^time-ordered ([0-9]+)-fold")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^(stratified )?([0-9]+)-fold$")]
    private static partial Regex KFoldPattern();
}
