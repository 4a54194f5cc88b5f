using System.Globalization;
using System.Text.Json;
using Hone.Distributions;
using Hone.Telemetry;
using Hone.Trials;

namespace Hone.Studies;

/// <summary>
/// Starting and finishing trials: ask (pop an enqueued trial or create one, then tell the sampler), tell
/// (validate the outcome, tell the sampler, store the final state), enqueue and warm-start.
/// </summary>
internal static class TrialLifecycle
{
    /// <summary>The system attribute of an enqueued trial that holds its fixed parameters (Optuna's name).</summary>
    public const string FixedParamsKey = "fixed_params";

    /// <summary>The system attribute that holds why a trial failed.</summary>
    public const string FailReasonKey = "fail_reason";

    /// <summary>
    /// Starts a trial, or returns null when <paramref name="checkExhausted"/> and the sampler has nothing left.
    /// Serialized per study object so that samplers that hand out distinct points (grids) see each ask in turn.
    /// </summary>
    public static LiveTrial? Ask(Study study, bool checkExhausted, bool deferParamWrites = false)
    {
        lock (study.AskLock)
        {
            if (checkExhausted && study.Sampler.IsExhausted(study))
            {
                return null;
            }

            var claim = study.Claim();
            var frozen = study.Storage.StartTrial(study.StudyId, claim);
            var writesBefore = study.TrialSystemAttrWrites;
            try
            {
                study.Sampler.BeforeTrial(study, frozen);
            }
            catch (Exception e)
            {
                // Nothing may be left Running: the trial exists, so it ends as Fail with the sampler's error.
                study.Storage.SetTrialStateValues(frozen.TrialId, TrialState.Fail, null,
                    FailReason($"The sampler failed before the trial started: {e.GetType().FullName}: {e.Message}"));
                throw;
            }

            // The storage's record is re-read only if the sampler wrote to it (a grid sampler records its point).
            var live = new LiveTrial(study, study.TrialSystemAttrWrites == writesBefore ? frozen : study.Storage.GetTrial(frozen.TrialId), deferParamWrites);
            study.Heartbeats?.Add(live);
            HoneInstruments.TrialsStarted.Add(1, HoneInstruments.Study(study.Name));
            return live;
        }
    }

    private static string StateTag(TrialState state) => state switch
    {
        TrialState.Complete => "complete",
        TrialState.Pruned => "pruned",
        TrialState.Fail => "fail",
        TrialState.Running => "running",
        _ => "waiting",
    };

    public static FrozenTrial Resolve(Study study, int trialNumber) =>
        study.Cache.ByNumber(trialNumber)
        ?? throw new ArgumentOutOfRangeException(nameof(trialNumber), trialNumber,
            $"Study \"{study.Name}\" has no trial #{trialNumber}.");

    /// <summary>
    /// Finishes a trial. Values that cannot be stored (wrong count, NaN) make it Fail with the reason, as an
    /// objective's bad return value does; misuse (telling a finished trial, Complete without values) throws.
    /// </summary>
    /// <param name="study">The study the trial belongs to.</param>
    /// <param name="live">The trial object this process is evaluating, if any: then its own record serves and the storage is not read first.</param>
    /// <param name="trialId">The storage's id of the trial.</param>
    /// <param name="state">Complete, Pruned or Fail; null infers Complete from values.</param>
    /// <param name="values">One value per objective.</param>
    /// <param name="failReason">Why the trial failed, stored in <see cref="FailReasonKey"/>.</param>
    /// <param name="reread">
    /// Whether to return the trial as stored (completion time included); otherwise the trial as this process
    /// knows it with the final state and values, which saves a read when the caller needs no more.
    /// </param>
    /// <param name="failAttrs">Further system attributes written with a Fail state (same atomic operation).</param>
    /// <param name="retry">When the trial ends Fail, enqueue its retry under this policy (same atomic operation).</param>
    public static FrozenTrial Tell(Study study, LiveTrial? live, long trialId, TrialState? state, IReadOnlyList<double>? values, string? failReason,
        bool reread = true, IReadOnlyDictionary<string, JsonElement>? failAttrs = null, TrialRetryPolicy? retry = null)
    {
        if (live?.FinalState is { } told)
        {
            throw new TrialFinishedException(live.Number, told, "tell it a result");
        }

        try
        {
            return TellUnchecked(study, live, trialId, state, values, failReason, reread, failAttrs, retry);
        }
        catch (TrialFinishedException) when (live is not null && live.FinalState is null)
        {
            live.MarkFinishedElsewhere();
            throw;
        }
        finally
        {
            if (live is not null && (live.FinalState is not null || live.IsFinishedElsewhere))
            {
                study.Heartbeats?.Remove(live);
            }
        }
    }

    /// <summary>The fail reason as the system attributes to write with a Fail state.</summary>
    public static Dictionary<string, JsonElement> FailReason(string reason) =>
        new() { [FailReasonKey] = AttributeValue.From(FailReasonKey, reason) };

    private static FrozenTrial TellUnchecked(Study study, LiveTrial? live, long trialId, TrialState? state, IReadOnlyList<double>? values, string? failReason,
        bool reread, IReadOnlyDictionary<string, JsonElement>? failAttrs, TrialRetryPolicy? retry)
    {
        if (live is not null && live.IsFinishedElsewhere)
        {
            var stored = study.Storage.GetTrial(trialId);
            throw new TrialFinishedException(stored.Number, stored.State, "tell it a result");
        }

        var trial = live?.Snapshot() ?? study.Storage.GetTrial(trialId);
        if (trial.State.IsFinished())
        {
            throw new TrialFinishedException(trial.Number, trial.State, "tell it a result");
        }

        var finalState = state ?? (values is null ? TrialState.Fail : TrialState.Complete);
        switch (finalState)
        {
            case TrialState.Complete:
                if (values is null)
                {
                    throw new ArgumentException($"Telling trial #{trial.Number} Complete needs its values.", nameof(values));
                }

                var problem = CheckValues(study, values);
                if (problem is not null)
                {
                    finalState = TrialState.Fail;
                    failReason = problem;
                    values = null;
                }

                break;
            case TrialState.Pruned:
                values = !study.IsMultiObjective && trial.LastIntermediateValue is { } last && !double.IsNaN(last) ? [last] : null;
                break;
            case TrialState.Fail:
                values = null;
                break;
            default:
                throw new ArgumentException(
                    $"A trial can be told Complete, Pruned or Fail, not {finalState}.", nameof(state));
        }

        Dictionary<string, JsonElement>? attrs = null;
        if (finalState is TrialState.Complete or TrialState.Pruned)
        {
            var problem = ConstraintAttrs(study, live, trial with { State = finalState, Values = values }, out attrs);
            if (problem is not null)
            {
                finalState = TrialState.Fail;
                failReason = problem;
                values = null;
            }
            else if (attrs is not null)
            {
                var merged = new Dictionary<string, JsonElement>(trial.SystemAttrs);
                foreach (var (k, v) in attrs)
                {
                    merged[k] = v;
                }

                trial = trial with { SystemAttrs = merged };
            }
        }

        study.Sampler.AfterTrial(study, trial, finalState, values);

        // The reason is written with the state, so a trial that another process failed first keeps its own reason.
        FrozenTrial? retryTemplate = null;
        if (finalState == TrialState.Fail)
        {
            attrs = failAttrs is null ? null : new Dictionary<string, JsonElement>(failAttrs);
            if (failReason is not null)
            {
                (attrs ??= [])[FailReasonKey] = AttributeValue.From(FailReasonKey, failReason);
            }

            retryTemplate = retry is null ? null : TrialRetry.Template(trial, retry);
        }

        // Suggestions not yet written go with the state, in one atomic operation (also for a tell by number of a trial this object asked).
        if ((live ?? study.PendingParamWrites.GetValueOrDefault(trial.TrialId)) is { } writer)
        {
            writer.WriteWithPendingParams(pending => study.Storage.SetTrialStateValues(trial.TrialId, finalState, values, attrs, retryTemplate, pending));
        }
        else
        {
            study.Storage.SetTrialStateValues(trial.TrialId, finalState, values, attrs, retryTemplate);
        }

        if (live is not null)
        {
            live.FinalState = finalState;
        }

        HoneInstruments.TrialsFinished.Add(1, HoneInstruments.Study(study.Name), new("state", StateTag(finalState)));
        if (finalState == TrialState.Fail)
        {
            HoneLog.TrialFailed(HoneLog.Study, trial.Number, study.Name, failReason ?? "(no reason given)");
        }
        else
        {
            HoneLog.TrialFinished(HoneLog.Study, trial.Number, study.Name, finalState);
        }

        return reread ? study.Storage.GetTrial(trial.TrialId) : trial with { State = finalState, Values = values };
    }

    /// <summary>
    /// The constraint attributes of a trial that completed or was pruned: the objective's named constraints, then the
    /// study's constraints function's values (named by their index, "[0]", ...). Returns why the trial must fail instead
    /// (the function threw, or a value is not finite), or null.
    /// </summary>
    private static string? ConstraintAttrs(Study study, LiveTrial? live, FrozenTrial finished, out Dictionary<string, JsonElement>? attrs)
    {
        attrs = null;
        var (names, values) = live?.ConstraintsSet.Ordered() ?? ([], []);
        var allNames = new List<string>(names);
        var allValues = new List<double>(values);
        if (study.ConstraintsFunction is { } function)
        {
            IReadOnlyList<double> computed;
            try
            {
                computed = function(finished) ?? throw new InvalidOperationException("it returned null");
            }
            catch (Exception e)
            {
                return $"The constraints function failed: {e.GetType().FullName}: {e.Message}";
            }

            for (var i = 0; i < computed.Count; i++)
            {
                if (!double.IsFinite(computed[i]))
                {
                    return string.Create(CultureInfo.InvariantCulture,
                        $"The constraints function returned {computed[i]} for constraint #{i}; constraint values must be finite numbers (≤ 0 satisfied).");
                }

                allNames.Add(string.Create(CultureInfo.InvariantCulture, $"[{i}]"));
                allValues.Add(computed[i]);
            }
        }

        if (allValues.Count > 0 || study.ConstraintsFunction is not null)
        {
            attrs = new Dictionary<string, JsonElement>
            {
                [FrozenTrial.ConstraintsKey] = AttributeValue.From(FrozenTrial.ConstraintsKey, allValues),
                [FrozenTrial.ConstraintNamesKey] = AttributeValue.From(FrozenTrial.ConstraintNamesKey, allNames),
            };
        }

        return null;
    }

    public static string? CheckValues(Study study, IReadOnlyList<double> values)
    {
        if (values.Count != study.Directions.Count)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"The objective returned {values.Count} value(s), but study \"{study.Name}\" has {study.Directions.Count} objective(s).");
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (double.IsNaN(values[i]))
            {
                return values.Count == 1
                    ? "The objective returned NaN."
                    : string.Create(CultureInfo.InvariantCulture, $"The objective returned NaN for objective #{i}.");
            }
        }

        return null;
    }

    public static bool Enqueue(Study study, IReadOnlyDictionary<string, object?> parameters, IReadOnlyDictionary<string, object?>? userAttrs, bool skipIfExists,
        IReadOnlyDictionary<string, object?>? systemAttrs = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var (name, value) in parameters)
        {
            if (value is not null && !DistributionValues.IsSupportedChoice(value))
            {
                throw new ArgumentException(
                    $"Enqueued parameter \"{name}\" is {DistributionValues.Describe(value)}; values must be numbers, strings, booleans or null.",
                    nameof(parameters));
            }
        }

        var fixedJson = AttributeValue.From(FixedParamsKey, parameters);
        lock (study.AskLock)
        {
            if (skipIfExists && study.GetTrials(TrialState.Waiting, TrialState.Running, TrialState.Complete).Any(t => SameParams(t, parameters)))
            {
                return false;
            }

            var attrs = new Dictionary<string, JsonElement>();
            foreach (var (k, v) in userAttrs ?? new Dictionary<string, object?>())
            {
                attrs[k] = AttributeValue.From(k, v);
            }

            var system = new Dictionary<string, JsonElement> { [FixedParamsKey] = fixedJson };
            foreach (var (k, v) in systemAttrs ?? new Dictionary<string, object?>())
            {
                system[k] = AttributeValue.From(k, v);
            }

            study.Storage.CreateTrial(study.StudyId, new FrozenTrial
            {
                State = TrialState.Waiting,
                SystemAttrs = system,
                UserAttrs = attrs,
            });
            return true;
        }
    }

    public static FrozenTrial AddTrial(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (!trial.State.IsFinished())
        {
            throw new ArgumentException($"AddTrial takes finished trials (Complete, Pruned or Fail), got {trial.State}.", nameof(trial));
        }

        if (trial.State == TrialState.Complete)
        {
            var problem = trial.Values is null ? "A Complete trial needs values." : CheckValues(study, trial.Values);
            if (problem is not null)
            {
                throw new ArgumentException($"AddTrial: {problem}", nameof(trial));
            }
        }

        foreach (var (name, x) in trial.InternalParams)
        {
            if (!trial.Distributions.TryGetValue(name, out var d) || !d.Contains(x))
            {
                throw new ArgumentException($"AddTrial: parameter \"{name}\" has no distribution or lies outside it.", nameof(trial));
            }

            study.CheckCompatible(name, d);
        }

        return study.Storage.CreateTrial(study.StudyId, trial);
    }

    /// <summary>Whether a trial has (or, if waiting, will have) exactly these parameter values.</summary>
    private static bool SameParams(FrozenTrial trial, IReadOnlyDictionary<string, object?> parameters)
    {
        if (trial.State == TrialState.Waiting)
        {
            if (!trial.SystemAttrs.TryGetValue(FixedParamsKey, out var fixedParams))
            {
                return false;
            }

            var count = 0;
            foreach (var p in fixedParams.EnumerateObject())
            {
                count++;
                if (!parameters.TryGetValue(p.Name, out var v) || !DistributionValues.ChoiceEquals(DistributionJson.ReadChoice(p.Value), v))
                {
                    return false;
                }
            }

            return count == parameters.Count;
        }

        foreach (var (name, v) in parameters)
        {
            if (!trial.Params.TryGetValue(name, out var existing) || !DistributionValues.ChoiceEquals(existing, v))
            {
                return false;
            }
        }

        return true;
    }
}
