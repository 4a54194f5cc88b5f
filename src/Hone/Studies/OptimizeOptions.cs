using Hone.Trials;

namespace Hone.Studies;

/// <summary>How long and how wide <see cref="Study.Optimize(Func{Trial, double}, OptimizeOptions?, CancellationToken)"/> runs.</summary>
public sealed class OptimizeOptions
{
    /// <summary>How many trials this call runs (all workers together).</summary>
    /// <value>Null runs until <see cref="Timeout"/>, cancellation, <see cref="Study.Stop"/>, or an exhausted sampler.</value>
    public int? Trials { get; init; }

    /// <summary>After this long no new trial starts; running ones finish.</summary>
    /// <value>Null: no time limit.</value>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How many trials run at once: on dedicated threads for a synchronous objective, as concurrent tasks for an async one.</summary>
    /// <value>1.</value>
    public int Parallelism { get; init; } = 1;

    /// <summary>
    /// Exception types that mark a trial Fail and let the study go on. Any other exception is recorded on
    /// its trial as Fail and then stops the run and is rethrown.
    /// </summary>
    /// <value>Every exception (<see cref="Exception"/>): a failing trial is recorded and never stops the study. Set an empty list to stop at the first failure.</value>
    /// <remarks>A <see cref="Samplers.SamplerException"/> always stops the run: it would fail every later trial too.</remarks>
    public IReadOnlyList<Type> Catch { get; init; } = [typeof(Exception)];

    /// <summary>Called after each trial is stored, one call at a time, on the worker that ran it.</summary>
    public IReadOnlyList<Action<Study, FrozenTrial>> Callbacks { get; init; } = [];

    /// <summary>Receives a report after each trial.</summary>
    public IProgress<OptimizeProgress>? Progress { get; init; }

    internal void Validate()
    {
        var errors = new List<string>();
        if (Trials is < 0)
        {
            errors.Add($"Trials must be zero or more, got {Trials}.");
        }

        if (Timeout is { } t && t <= TimeSpan.Zero)
        {
            errors.Add($"Timeout must be positive, got {t}.");
        }

        if (Parallelism < 1)
        {
            errors.Add($"Parallelism must be at least 1, got {Parallelism}.");
        }

        ArgumentNullException.ThrowIfNull(Catch);
        ArgumentNullException.ThrowIfNull(Callbacks);
        foreach (var type in Catch)
        {
            if (type is null || !typeof(Exception).IsAssignableFrom(type))
            {
                errors.Add($"Catch may only hold exception types, got {type?.FullName ?? "null"}.");
            }
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid OptimizeOptions: " + string.Join(" ", errors));
        }
    }
}
