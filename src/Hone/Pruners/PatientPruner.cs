using Hone.Studies;
using Hone.Trials;

namespace Hone.Pruners;

/// <summary>
/// Early stopping with patience (as in Keras' EarlyStopping; Prechelt 1998, "Early stopping — but when?"): a trial is
/// a candidate for pruning when its best value over the last <see cref="PatientPrunerOptions.Patience"/> + 1 reported
/// steps is no better, by more than <see cref="PatientPrunerOptions.MinDelta"/>, than its best before them; the wrapped
/// pruner then decides (or, without one, it is pruned).
/// </summary>
/// <remarks>
/// Optuna's semantics: steps are taken in increasing order whatever order they were reported in; NaN values are
/// ignored (all NaN never prunes). If the wrapped pruner splits trials for samplers (Hyperband), so does this one.
/// </remarks>
public sealed class PatientPruner : IPruner, ISamplingPartitioner
{
    private readonly IPruner? _wrapped;
    private readonly int _patience;
    private readonly double _minDelta;

    /// <summary>Creates the pruner.</summary>
    /// <param name="options">The settings; null for the defaults (patience 0, no wrapped pruner).</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names every one.</exception>
    public PatientPruner(PatientPrunerOptions? options = null)
    {
        options ??= new PatientPrunerOptions();
        var problems = options.Problems();
        if (problems is not null)
        {
            throw new ArgumentException($"Invalid {nameof(PatientPrunerOptions)}: {problems}", nameof(options));
        }

        _wrapped = options.WrappedPruner;
        _patience = options.Patience;
        _minDelta = options.MinDelta;
    }

    /// <inheritdoc/>
    public bool Prune(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        var values = trial.IntermediateValues;
        if (values.Count <= _patience + 1)
        {
            return false;
        }

        var steps = values.Keys.ToArray();
        Array.Sort(steps);
        var split = steps.Length - _patience - 1;
        var maximize = study.Direction == StudyDirection.Maximize;
        var before = NanBest(values, steps.AsSpan(0, split), maximize);
        var after = NanBest(values, steps.AsSpan(split), maximize);
        var stalled = maximize ? before - _minDelta > after : before + _minDelta < after;
        return stalled && (_wrapped?.Prune(study, trial) ?? true);
    }

    /// <inheritdoc/>
    public int? PartitionOf(Study study, FrozenTrial trial) =>
        _wrapped is ISamplingPartitioner p ? p.PartitionOf(study, trial) : null;

    /// <inheritdoc/>
    public IReadOnlyList<FrozenTrial> TrialsOf(Study study, int partition) =>
        _wrapped is ISamplingPartitioner p
            ? p.TrialsOf(study, partition)
            : throw new InvalidOperationException("This PatientPruner wraps no pruner that splits trials.");

    private static double NanBest(IReadOnlyDictionary<int, double> values, ReadOnlySpan<int> steps, bool maximize)
    {
        var best = double.NaN;
        foreach (var s in steps)
        {
            var v = values[s];
            if (!double.IsNaN(v) && (double.IsNaN(best) || (maximize ? v > best : v < best)))
            {
                best = v;
            }
        }

        return best;
    }
}
