using System.Globalization;
using Hone.Trials;

namespace Hone.Studies;

/// <summary>
/// Starting a study from earlier ones: their best configurations are queued as the first trials, and their trials are
/// handed to the sampler as prior observations (<see cref="Samplers.Tpe.TpeSamplerOptions.WarmStartTrials"/>,
/// <see cref="Samplers.Auto.AutoSamplerOptions.WarmStartTrials"/>), so that knowledge of a similar task (the same model
/// on last month's data, a neighbouring dataset) is not thrown away.
/// </summary>
/// <remarks>
/// The source trials stay in their own studies; nothing is copied, so the new study's statistics count only its own
/// trials. Queued configurations are re-evaluated, never trusted.
/// </remarks>
public static class WarmStart
{
    /// <summary>The study user attribute that names the studies a study was warm-started from.</summary>
    public const string SourcesKey = "hone.warm_start_from";

    /// <summary>The complete, feasible trials of <paramref name="sources"/>, for a study optimizing in <paramref name="direction"/>.</summary>
    /// <exception cref="ArgumentException">A source has several objectives, or optimizes in the other direction.</exception>
    public static IReadOnlyList<FrozenTrial> TrialsOf(StudyDirection direction, IEnumerable<Study> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var trials = new List<FrozenTrial>();
        foreach (var source in sources)
        {
            ArgumentNullException.ThrowIfNull(source);
            if (source.IsMultiObjective)
            {
                throw new ArgumentException($"Study \"{source.Name}\" has {source.Directions.Count} objectives; warm starts take single-objective studies.", nameof(sources));
            }

            if (source.Direction != direction)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Study \"{source.Name}\" is to {Verb(source.Direction)} its objective and this one to {Verb(direction)} it, so its best trials would be this study's worst; warm-start from a study with the same objective."),
                    nameof(sources));
            }

            trials.AddRange(source.GetTrials(TrialState.Complete).Where(t => t.IsFeasible && t.Values is { Count: 1 } v && double.IsFinite(v[0])));
        }

        return trials;
    }

    /// <summary>
    /// Queues on <paramref name="target"/> the <paramref name="count"/> best distinct configurations among
    /// <paramref name="trials"/> (by the target's direction), skipping any the target already has.
    /// </summary>
    /// <returns>How many trials were queued.</returns>
    public static int EnqueueBest(Study target, IReadOnlyList<FrozenTrial> trials, int count = 3)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var sign = target.Direction == StudyDirection.Maximize ? -1 : 1;
        var queued = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var trial in trials.Where(t => t.Values is { Count: 1 }).OrderBy(t => sign * t.Values![0]))
        {
            if (seen.Count == count)
            {
                break;
            }

            var key = string.Join("\u001f", trial.Params.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + Convert.ToString(p.Value, CultureInfo.InvariantCulture)));
            if (seen.Add(key) && target.Enqueue(trial.Params, new Dictionary<string, object?> { ["warm_start_value"] = trial.Values![0] }, skipIfExists: true))
            {
                queued++;
            }
        }

        return queued;
    }

    private static string Verb(StudyDirection direction) => direction == StudyDirection.Maximize ? "maximize" : "minimize";
}
