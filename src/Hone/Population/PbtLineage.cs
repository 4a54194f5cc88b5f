using Hone.Studies;
using Hone.Trials;

namespace Hone.Population;

/// <summary>
/// The history of a population member: the chain of segments from a first segment to a given one, following each
/// segment's parent (its own previous segment, or the segment it exploited). The weights at the end of the chain were
/// trained by exactly these segments, so the chain's hyperparameters, as a schedule, are what PBT found (PBT replay).
/// </summary>
public sealed class PbtLineage
{
    private PbtLineage(IReadOnlyList<FrozenTrial> segments, IReadOnlyList<int> startSteps)
    {
        Segments = segments;
        StartSteps = startSteps;
    }

    /// <summary>The segments, first first.</summary>
    public IReadOnlyList<FrozenTrial> Segments { get; }

    /// <summary>The first training step of each segment.</summary>
    public IReadOnlyList<int> StartSteps { get; }

    /// <summary>The lineage of the segment trial <paramref name="trialNumber"/>.</summary>
    /// <exception cref="ArgumentException">The trial is not a PBT segment, or its chain of parents is broken.</exception>
    public static PbtLineage Of(Study study, int trialNumber)
    {
        ArgumentNullException.ThrowIfNull(study);
        var chain = new List<FrozenTrial>();
        int? next = trialNumber;
        while (next is { } n)
        {
            var t = study.Trials.FirstOrDefault(x => x.Number == n);
            if (t is null || PbtAttributes.Claim(t) is null)
            {
                throw new ArgumentException($"Trial #{n} of study \"{study.Name}\" is not a population-based-training segment.", nameof(trialNumber));
            }

            if (chain.Count > study.Trials.Count)
            {
                throw new ArgumentException($"The parents of trial #{trialNumber} form a cycle.", nameof(trialNumber));
            }

            chain.Add(t);
            next = PbtAttributes.Int(t, PbtAttributes.ParentKey);
        }

        chain.Reverse();
        return new PbtLineage(chain, [.. chain.Select(t => PbtAttributes.Int(t, PbtAttributes.StartStepKey) ?? 0)]);
    }

    /// <summary>The lineage of the best complete segment of the last generation reached (PBT's result).</summary>
    /// <exception cref="InvalidOperationException">No segment is complete.</exception>
    public static PbtLineage OfBest(Study study)
    {
        ArgumentNullException.ThrowIfNull(study);
        var segments = study.GetTrials(TrialState.Complete).Where(t => PbtAttributes.Claim(t) is not null && t.Values is { Count: 1 }).ToList();
        if (segments.Count == 0)
        {
            throw new InvalidOperationException($"Study \"{study.Name}\" has no complete population-based-training segment.");
        }

        var last = segments.Max(t => PbtAttributes.Claim(t)!.Value.Generation);
        var final = segments.Where(t => PbtAttributes.Claim(t)!.Value.Generation == last);
        var best = study.Direction == StudyDirection.Maximize ? final.MaxBy(t => t.Values![0]) : final.MinBy(t => t.Values![0]);
        return Of(study, best!.Number);
    }

    /// <summary>The hyperparameters in force at <paramref name="step"/> (those of the segment that trained it).</summary>
    public IReadOnlyDictionary<string, object?> ParamsAt(int step)
    {
        var i = Segments.Count - 1;
        while (i > 0 && StartSteps[i] > step)
        {
            i--;
        }

        return Segments[i].Params;
    }

    /// <summary>
    /// Each numeric hyperparameter as a piecewise-constant schedule over the lineage (categoricals: their choice index),
    /// the fixed schedule that replays PBT's result.
    /// </summary>
    public IReadOnlyDictionary<string, PiecewiseConstantSchedule> Schedules()
    {
        var result = new Dictionary<string, PiecewiseConstantSchedule>(StringComparer.Ordinal);
        foreach (var name in Segments[0].InternalParams.Keys)
        {
            var steps = new List<int>();
            var values = new List<double>();
            for (var i = 0; i < Segments.Count; i++)
            {
                if (!Segments[i].InternalParams.TryGetValue(name, out var x))
                {
                    continue;
                }

                if (values.Count > 0 && values[^1] == x)
                {
                    continue;
                }

                steps.Add(values.Count == 0 ? 0 : StartSteps[i]);
                values.Add(x);
            }

            result[name] = new PiecewiseConstantSchedule(steps, values);
        }

        return result;
    }
}
