using System.Text.Json;
using Hone.Distributions;
using Hone.Pruners;
using Hone.Samplers;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Pruners;

/// <summary>Hand-built study histories for pruner tests.</summary>
internal static class PrunerHistory
{
    public static Study NewStudy(IPruner pruner, StudyDirection direction = StudyDirection.Minimize, string? name = null, ISampler? sampler = null) =>
        Study.Create(new StudyOptions { Pruner = pruner, Direction = direction, Name = name, Sampler = sampler ?? new RandomSampler(1) });

    /// <summary>Adds a finished trial with these intermediate values (step → value) and final value.</summary>
    public static FrozenTrial AddFinished(
        Study study, IReadOnlyDictionary<int, double> intermediate, double? value = null, TrialState state = TrialState.Complete,
        IReadOnlyDictionary<string, JsonElement>? systemAttrs = null)
    {
        var last = intermediate.Count == 0 ? 0 : intermediate[intermediate.Keys.Max()];
        var trial = FrozenTrial.Create(
            new Dictionary<string, object?>(), new Dictionary<string, Distribution>(),
            state == TrialState.Complete ? [value ?? last] : null, state, intermediate);
        if (systemAttrs is not null)
        {
            trial = trial with { SystemAttrs = systemAttrs };
        }

        return study.AddTrial(trial);
    }

    /// <summary>A complete trial whose intermediate value is <paramref name="value"/> at steps 0..<paramref name="steps"/>-1.</summary>
    public static FrozenTrial AddFlat(Study study, double value, int steps = 10) =>
        AddFinished(study, Enumerable.Range(0, steps).ToDictionary(s => s, _ => value));

    /// <summary>Asks a trial, reports the values in the given order, and returns whether the pruner prunes after the last.</summary>
    public static bool ReportAndAsk(Study study, params (int Step, double Value)[] reports)
    {
        var trial = study.Ask();
        return ReportAndAsk(trial, reports);
    }

    public static bool ReportAndAsk(Trial trial, params (int Step, double Value)[] reports)
    {
        foreach (var (step, value) in reports)
        {
            trial.Report(value, step);
        }

        return trial.ShouldPrune();
    }

    public static Dictionary<int, double> Steps(params double[] values) =>
        values.Select((v, i) => (v, i)).ToDictionary(p => p.i, p => p.v);
}
