using Hone.Studies;
using Hone.Trials;

namespace Hone.Analysis.Stopping;

/// <summary>
/// A callback for <see cref="OptimizeOptions.Callbacks"/> that stops the study once the
/// <see cref="ImprovementEstimator"/> says the possible improvement is below the noise (Optuna's
/// <c>TerminatorCallback</c>). Add <see cref="OnTrialFinished"/> to the callbacks.
/// </summary>
/// <example><code>
/// var stopper = new ImprovementStopper();
/// study.Optimize(Objective, new OptimizeOptions { Trials = 500, Callbacks = [stopper.OnTrialFinished] });
/// Console.WriteLine(stopper.LastEstimate);
/// </code></example>
public sealed class ImprovementStopper
{
    private readonly ImprovementEstimateOptions _options;
    private readonly Lock _gate = new();

    /// <summary>A stopper with the given estimate settings (defaults: Optuna's).</summary>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public ImprovementStopper(ImprovementEstimateOptions? options = null)
    {
        _options = options ?? new ImprovementEstimateOptions();
        _options.Validate();
    }

    /// <summary>The estimate made after the latest finished trial, or null before the first estimate.</summary>
    public ImprovementEstimate? LastEstimate { get; private set; }

    /// <summary>Whether this stopper stopped the study.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Estimates after a complete trial and calls <see cref="Study.Stop"/> when the estimate says so.</summary>
    public void OnTrialFinished(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.State != TrialState.Complete)
        {
            return;
        }

        lock (_gate)
        {
            var estimate = ImprovementEstimator.Estimate(study, _options);
            LastEstimate = estimate ?? LastEstimate;
            if (estimate is { ShouldStop: true } && !Stopped)
            {
                Stopped = true;
                study.Stop();
            }
        }
    }
}
