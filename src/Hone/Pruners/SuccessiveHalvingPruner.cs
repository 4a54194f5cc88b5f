using System.Globalization;
using System.Text.Json;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Pruners;

/// <summary>
/// Asynchronous successive halving (ASHA; Li et al. 2020, "A system for massively parallel hyperparameter tuning";
/// successive halving: Jamieson and Talwalkar 2016): rungs at steps r·η^(s+k); a trial that reaches a rung continues
/// only if its value there is among the best 1/η of the values recorded at that rung so far.
/// </summary>
/// <remarks>
/// <para>Asynchronous: a trial is compared with whatever trials reached the rung before it, so workers never wait for a
/// rung to fill. The value a trial had when it passed rung k is recorded in its system attribute
/// <c>completed_rung_k</c> (Optuna's name, so Optuna reads the same record); the rung a trial is at is the
/// number of such attributes it has.</para>
/// <para>The value compared is the one at the trial's largest reported step, so a trial that skips steps or reports
/// out of order is judged at every rung it has passed. A NaN value at a rung prunes. Steps beyond any maximum are
/// simply further rungs.</para>
/// </remarks>
public sealed class SuccessiveHalvingPruner : IPruner
{
    /// <summary>The prefix of the system attributes that record the value at each completed rung.</summary>
    public const string RungKeyPrefix = "completed_rung_";

    private readonly int _reductionFactor;
    private readonly int _minEarlyStoppingRate;
    private readonly int _bootstrapCount;
    private int _minResource;

    /// <summary>Creates the pruner.</summary>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names every one.</exception>
    public SuccessiveHalvingPruner(SuccessiveHalvingPrunerOptions? options = null)
    {
        options ??= new SuccessiveHalvingPrunerOptions();
        var problems = options.Problems();
        if (problems is not null)
        {
            throw new ArgumentException($"Invalid {nameof(SuccessiveHalvingPrunerOptions)}: {problems}", nameof(options));
        }

        _minResource = options.MinResource ?? 0;
        _reductionFactor = options.ReductionFactor;
        _minEarlyStoppingRate = options.MinEarlyStoppingRate;
        _bootstrapCount = options.BootstrapCount;
    }

    /// <inheritdoc/>
    public bool Prune(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        return PruneAmong(study, trial, study.GetTrials());
    }

    /// <summary>The system attribute key of rung <paramref name="rung"/>.</summary>
    public static string RungKey(int rung) => RungKeyPrefix + rung.ToString(CultureInfo.InvariantCulture);

    /// <summary>The rung a trial is at: how many rungs it has completed.</summary>
    public static int CurrentRung(FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var rung = 0;
        while (trial.SystemAttrs.ContainsKey(RungKey(rung)))
        {
            rung++;
        }

        return rung;
    }

    /// <summary>ASHA's decision for <paramref name="trial"/>, competing only with <paramref name="trials"/> (a Hyperband bracket's).</summary>
    internal bool PruneAmong(Study study, FrozenTrial trial, IReadOnlyList<FrozenTrial> trials)
    {
        if (PrunerMath.LastStep(trial) is not { } step)
        {
            return false;
        }

        var minResource = Volatile.Read(ref _minResource);
        if (minResource == 0)
        {
            minResource = EstimateMinResource(trials);
            if (minResource == 0)
            {
                return false;
            }

            Interlocked.CompareExchange(ref _minResource, minResource, 0);
            minResource = Volatile.Read(ref _minResource);
        }

        // The rungs this trial passed are in its stored record (the snapshot handed in may predate them).
        var record = study.Cache.ByNumber(trial.Number) ?? trial;
        var rung = Math.Max(CurrentRung(trial), CurrentRung(record));
        var value = trial.IntermediateValues[step];
        while (true)
        {
            var promotionStep = minResource * Math.Pow(_reductionFactor, _minEarlyStoppingRate + rung);
            if (step < promotionStep)
            {
                return false;
            }

            if (double.IsNaN(value))
            {
                return true;
            }

            var key = RungKey(rung);
            study.SetTrialSystemAttr(trial, key, StoredValue(value));
            var competing = CompetingValues(trials, trial.Number, key);
            competing.Add(value);
            if (competing.Count <= _bootstrapCount)
            {
                return true;
            }

            if (!IsPromotable(value, competing, _reductionFactor, study.Direction))
            {
                return true;
            }

            rung++;
        }
    }

    /// <summary>Whether <paramref name="value"/> is among the best ⌊n/η⌋ (at least one) of <paramref name="competing"/>, which includes it.</summary>
    internal static bool IsPromotable(double value, List<double> competing, int reductionFactor, StudyDirection direction)
    {
        var promotable = Math.Max(competing.Count / reductionFactor - 1, 0);
        competing.Sort();
        return direction == StudyDirection.Maximize
            ? value >= competing[competing.Count - 1 - promotable]
            : value <= competing[promotable];
    }

    /// <summary>A rung value as JSON: a number, or Optuna's names for infinities as strings (JSON has no infinity).</summary>
    internal static object StoredValue(double value) =>
        double.IsFinite(value) ? value : value > 0 ? "Infinity" : "-Infinity";

    internal static double? ReadValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.String => element.GetString() switch
        {
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => null,
        },
        _ => null,
    };

    private static List<double> CompetingValues(IReadOnlyList<FrozenTrial> trials, int self, string key)
    {
        var values = new List<double>();
        foreach (var t in trials)
        {
            if (t.Number != self && t.SystemAttrs.TryGetValue(key, out var json) && ReadValue(json) is { } v)
            {
                values.Add(v);
            }
        }

        return values;
    }

    /// <summary>Optuna's automatic minimum resource: max(last step of the longest complete trial ÷ 100, 1), or 0 while none is complete.</summary>
    private static int EstimateMinResource(IReadOnlyList<FrozenTrial> trials)
    {
        var longest = -1;
        foreach (var t in trials)
        {
            if (t.State == TrialState.Complete && PrunerMath.LastStep(t) is { } last)
            {
                longest = Math.Max(longest, last);
            }
        }

        return longest < 0 ? 0 : Math.Max(longest / 100, 1);
    }
}
