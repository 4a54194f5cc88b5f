using System.Text.Json;
using Hone.Storage;
using Hone.Trials;

namespace Hone.Studies;

/// <summary>Builds the Waiting trial that retries a failed one (Optuna's <c>RetryFailedTrialCallback</c> rules).</summary>
internal static class TrialRetry
{
    /// <summary>The system attribute with the number of the first trial of a retry lineage (Optuna's name).</summary>
    public const string FailedTrialKey = "failed_trial";

    /// <summary>The system attribute with the numbers of the failed attempts, oldest first (Optuna's name).</summary>
    public const string RetryHistoryKey = "retry_history";

    /// <summary>The retry of <paramref name="failed"/>, or null when its lineage used up the policy's retries.</summary>
    public static FrozenTrial? Template(FrozenTrial failed, TrialRetryPolicy policy)
    {
        var system = new Dictionary<string, JsonElement>(failed.SystemAttrs);
        system.Remove(StaleTrials.FailReasonKey);
        system.Remove(WorkerIdentity.Key);
        var original = failed.SystemAttrs.TryGetValue(FailedTrialKey, out var f) && f.ValueKind == JsonValueKind.Number ? f.GetInt32() : failed.Number;
        var history = new List<int>();
        if (failed.SystemAttrs.TryGetValue(RetryHistoryKey, out var h) && h.ValueKind == JsonValueKind.Array)
        {
            foreach (var n in h.EnumerateArray())
            {
                if (n.ValueKind == JsonValueKind.Number)
                {
                    history.Add(n.GetInt32());
                }
            }
        }

        history.Add(failed.Number);
        if (history.Count > policy.MaxRetries)
        {
            return null;
        }

        system[FailedTrialKey] = AttributeValue.From(FailedTrialKey, original);
        system[RetryHistoryKey] = AttributeValue.From(RetryHistoryKey, history);
        return new FrozenTrial
        {
            State = TrialState.Waiting,
            InternalParams = failed.InternalParams,
            Distributions = failed.Distributions,
            IntermediateValues = policy.InheritIntermediateValues ? failed.IntermediateValues : FrozenTrial.NoIntermediate,
            UserAttrs = failed.UserAttrs,
            SystemAttrs = system,
        };
    }
}
