namespace Hone.Studies;

/// <summary>
/// What to do with a trial whose worker died (its heartbeats stopped): enqueue it again with the same
/// parameters, up to <see cref="MaxRetries"/> times, as Optuna's <c>RetryFailedTrialCallback</c> does.
/// </summary>
/// <remarks>
/// The retry is a Waiting trial with the failed trial's parameters, distributions and user attributes, and the
/// system attributes <c>failed_trial</c> (the number of the first trial of the lineage) and <c>retry_history</c>
/// (the numbers of every failed attempt, oldest first), under the names Optuna uses.
/// </remarks>
public sealed class TrialRetryPolicy
{
    /// <summary>How many times one original trial may be retried.</summary>
    /// <value>1.</value>
    public int MaxRetries { get; init; } = 1;

    /// <summary>Whether the retry starts with the failed attempt's intermediate values.</summary>
    /// <value>False.</value>
    public bool InheritIntermediateValues { get; init; }
}
