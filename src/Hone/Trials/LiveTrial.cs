using System.Text.Json;
using Hone.Distributions;
using Hone.Samplers;
using Hone.Storage;
using Hone.Studies;
using Hone.Telemetry;

namespace Hone.Trials;

/// <summary>
/// The trial a study hands to an objective: each suggestion is answered (fixed value, relative sample or
/// independent sample) and recorded in the storage.
/// </summary>
/// <remarks>
/// On a persistent storage suggestions are written together rather than one by one (<see cref="ParamFlushDelay"/>):
/// with the trial's next write (its result, an intermediate value, an attribute), or after the delay, whichever comes
/// first. On PostgreSQL that makes a five-parameter trial four round trips instead of fifteen. A worker killed in between
/// loses suggestions that were never committed, and its trial is found dead and failed as before; nothing committed is lost.
/// </remarks>
#pragma warning disable CA1001 // the flush timer lives only while suggestions wait, and is disposed when they are written
internal sealed class LiveTrial : Trial
#pragma warning restore CA1001
{
    private readonly Study _study;

    // Only trials of an optimize loop (the loop tells them in this process) keep their suggestions for the next write; a
    // trial from Study.Ask may be told by another process (hone ask / hone tell), so its suggestions are written at once.
    private readonly bool _defersParamWrites;
    private readonly FrozenTrial _start;
    private readonly AppendOnlyMap<string, double> _internal = new();
    private readonly AppendOnlyMap<string, Distribution> _distributions = new();
    private readonly AppendOnlyMap<int, double> _intermediate = new();
    private Dictionary<string, JsonElement>? _userAttrs;
    private Dictionary<string, JsonElement>? _fixedParams;
    private Dictionary<string, JsonElement>? _systemAttrs;
    private readonly Lock _systemAttrsGate = new();
    private IReadOnlyDictionary<string, Distribution>? _relativeSpace;
    private IReadOnlyDictionary<string, double>? _relativeParams;
    private FrozenTrial? _snapshot;
    private CancellationTokenSource? _finishedElsewhere;
    private int _lost;
    private readonly Lock _writeGate = new();
    private List<TrialParam>? _pendingParams;
    private Timer? _flushTimer;

    /// <summary>How long a suggestion may wait for the trial's next write before it is written on its own.</summary>
    internal static readonly TimeSpan ParamFlushDelay = TimeSpan.FromMilliseconds(100);

    public LiveTrial(Study study, FrozenTrial start, bool deferParamWrites = false)
    {
        _study = study;
        _defersParamWrites = deferParamWrites && study.DefersParamWrites;
        _start = start;
        _userAttrs = start.UserAttrs.Count == 0 ? null : new Dictionary<string, JsonElement>(start.UserAttrs);
        foreach (var (name, x) in start.InternalParams)
        {
            _internal.Add(name, x);
            _distributions.Add(name, start.Distributions[name]);
        }

        foreach (var (step, v) in start.IntermediateValues)
        {
            _intermediate.Add(step, v);
        }

        if (start.SystemAttrs.TryGetValue(TrialLifecycle.FixedParamsKey, out var fixedParams) && fixedParams.ValueKind == JsonValueKind.Object)
        {
            var map = new Dictionary<string, JsonElement>();
            foreach (var p in fixedParams.EnumerateObject())
            {
                map[p.Name] = p.Value;
            }

            _fixedParams = map;
        }
    }

    public override int Number => _start.Number;

    public long TrialId => _start.TrialId;

    /// <remarks>Built on each call from the internal values: objectives rarely read it, suggestions never do.</remarks>
    public override IReadOnlyDictionary<string, object?> Params => Snapshot().Params;

    public override IReadOnlyDictionary<string, Distribution> Distributions => _distributions.Snapshot();

    public override IReadOnlyDictionary<string, JsonElement> UserAttrs => _userAttrs ?? FrozenTrial.NoAttrs;

    /// <summary>The state this trial was told, so that a second tell fails before it reaches the sampler.</summary>
    public TrialState? FinalState { get; set; }

    /// <summary>The study that handed out this trial.</summary>
    public Study Study => _study;

    /// <summary>Whether another process finished this trial while this one was evaluating it.</summary>
    public bool IsFinishedElsewhere => Volatile.Read(ref _lost) == 1;

    public override CancellationToken FinishedElsewhere
    {
        get
        {
            if (Volatile.Read(ref _finishedElsewhere) is { } existing)
            {
                return existing.Token;
            }

            var created = new CancellationTokenSource();
            if (Interlocked.CompareExchange(ref _finishedElsewhere, created, null) is { } raced)
            {
                created.Dispose();
                return raced.Token;
            }

            if (IsFinishedElsewhere)
            {
                created.Cancel();
            }

            return created.Token;
        }
    }

    /// <summary>Records that another process finished this trial (its heartbeat or a write found it finished) and cancels <see cref="FinishedElsewhere"/>.</summary>
    public void MarkFinishedElsewhere()
    {
        if (Interlocked.Exchange(ref _lost, 1) == 0)
        {
            Volatile.Read(ref _finishedElsewhere)?.Cancel();
        }
    }

    public override void Report(double value, int step)
    {
        if (_study.IsMultiObjective)
        {
            throw new InvalidOperationException(
                $"Trial.Report(value, step) is for single-objective studies; study \"{_study.Name}\" has {_study.Directions.Count} objectives: report one value per objective with Report(values, step).");
        }

        if (step < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "Trial.Report needs a step of 0 or more.");
        }

        if (_intermediate.TryGetValue(step, out _))
        {
            return;
        }

        try
        {
            FlushParams();
            _study.Storage.SetTrialIntermediateValue(TrialId, step, value);
        }
        catch (TrialFinishedException) when (FinalState is null)
        {
            MarkFinishedElsewhere();
            throw;
        }

        _intermediate.Add(step, value);
        _snapshot = null;
    }

    public override void Report(IReadOnlyList<double> values, int step)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!_study.IsMultiObjective)
        {
            throw new InvalidOperationException(
                $"Trial.Report with a list of values is for studies with several objectives; study \"{_study.Name}\" has one. Use Report(value, step).");
        }

        if (values.Count != _study.Directions.Count)
        {
            throw new ArgumentException(
                $"Trial.Report got {values.Count} values at step {step}; study \"{_study.Name}\" has {_study.Directions.Count} objectives, so it needs one value per objective.",
                nameof(values));
        }

        if (step < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "Trial.Report needs a step of 0 or more.");
        }

        var key = IntermediateVectorAttributes.Key(step);
        if (HasSystemAttr(key))
        {
            return;
        }

        var json = IntermediateVectorAttributes.ToJson(values);
        try
        {
            FlushParams();
            _study.Storage.SetTrialSystemAttr(TrialId, key, json);
        }
        catch (TrialFinishedException) when (FinalState is null)
        {
            MarkFinishedElsewhere();
            throw;
        }

        NoteSystemAttr(key, json);
    }

    private bool HasSystemAttr(string key)
    {
        lock (_systemAttrsGate)
        {
            return ((IReadOnlyDictionary<string, JsonElement>?)_systemAttrs ?? _start.SystemAttrs).ContainsKey(key);
        }
    }

    public override bool ShouldPrune()
    {
        if (IsFinishedElsewhere)
        {
            return true;
        }

        return _study.Pruner.Prune(_study, Snapshot());
    }

    public override void SetUserAttr(string key, object? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var json = AttributeValue.From(key, value);
        FlushParams();
        _study.Storage.SetTrialUserAttr(TrialId, key, json);
        (_userAttrs ??= [])[key] = json;
        _snapshot = null;
    }

    /// <summary>
    /// Fixes the values later suggestions of these parameters return (population-based training hands a segment the
    /// values it exploited and explored), and records them as the trial's <c>fixed_params</c>, as an enqueued trial's.
    /// </summary>
    public void FixParams(IReadOnlyDictionary<string, object?> values)
    {
        var map = _fixedParams is null ? new Dictionary<string, JsonElement>() : new Dictionary<string, JsonElement>(_fixedParams);
        foreach (var (name, value) in values)
        {
            map[name] = AttributeValue.From(name, value);
        }

        var json = AttributeValue.From(TrialLifecycle.FixedParamsKey, map);
        _study.SetTrialSystemAttr(Snapshot(), TrialLifecycle.FixedParamsKey, json);
        NoteSystemAttr(TrialLifecycle.FixedParamsKey, json);
        _fixedParams = map;
    }

    /// <summary>Records in this object's snapshot a system attribute that was just written to the storage.</summary>
    public void NoteSystemAttr(string key, JsonElement value)
    {
        lock (_systemAttrsGate)
        {
            _systemAttrs ??= new Dictionary<string, JsonElement>(_start.SystemAttrs);
            _systemAttrs[key] = value;
            _snapshot = null;
        }
    }

    /// <summary>Suggests a parameter from an already built distribution (ask with fixed distributions).</summary>
    public object? SuggestDistribution(string name, Distribution distribution) =>
        distribution.ToExternal(Suggest(name, distribution));

    /// <summary>The trial as samplers and pruners see it: everything suggested and reported so far.</summary>
    /// <remarks>Cheap: the parameter and intermediate-value maps only grow, so their snapshots are views.</remarks>
    public FrozenTrial Snapshot() => _snapshot ??= _start with
    {
        InternalParams = _internal.Snapshot(),
        Distributions = _distributions.Snapshot(),
        IntermediateValues = _intermediate.Snapshot(),
        UserAttrs = _userAttrs is null ? FrozenTrial.NoAttrs : new Dictionary<string, JsonElement>(_userAttrs),
        SystemAttrs = _systemAttrs is null ? _start.SystemAttrs : SystemAttrsCopy(),
    };

    private Dictionary<string, JsonElement> SystemAttrsCopy()
    {
        lock (_systemAttrsGate)
        {
            return new Dictionary<string, JsonElement>(_systemAttrs!);
        }
    }

    private protected override double Suggest(string name, Distribution distribution)
    {
        if (_distributions.TryGetValue(name, out var earlier))
        {
            if (earlier != distribution)
            {
                throw Conflict(name, earlier, distribution);
            }

            _internal.TryGetValue(name, out var same);
            return same;
        }

        _study.CheckCompatible(name, distribution);
        var x = Choose(name, distribution);
        if (_defersParamWrites)
        {
            lock (_writeGate)
            {
                (_pendingParams ??= []).Add(new TrialParam(name, x, distribution));
                if (_flushTimer is null)
                {
                    _study.PendingParamWrites[TrialId] = this;
                    _flushTimer = new Timer(static state => ((LiveTrial)state!).FlushFromTimer(), this, ParamFlushDelay, Timeout.InfiniteTimeSpan);
                }
            }
        }
        else
        {
            try
            {
                _study.Storage.SetTrialParam(TrialId, name, x, distribution);
            }
            catch (TrialFinishedException) when (FinalState is null)
            {
                MarkFinishedElsewhere();
                throw;
            }
        }

        _internal.Add(name, x);
        _distributions.Add(name, distribution);
        _snapshot = null;
        return x;
    }

    /// <summary>Writes the suggestions not yet written, if any: before any other write of the trial.</summary>
    /// <exception cref="TrialFinishedException">Another process finished the trial.</exception>
    public void FlushParams()
    {
        if (Volatile.Read(ref _pendingParams) is null)
        {
            return;
        }

        lock (_writeGate)
        {
            StopFlushTimer();
            if (_pendingParams is not { } pending)
            {
                return;
            }

            try
            {
                _study.Storage.SetTrialParams(TrialId, pending);
            }
            catch (TrialFinishedException) when (FinalState is null)
            {
                _pendingParams = null;
                MarkFinishedElsewhere();
                throw;
            }

            _pendingParams = null;
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> (the trial's final state) with the suggestions not yet written, which it writes in the
    /// same atomic operation; no timed write of them can run meanwhile.
    /// </summary>
    public void WriteWithPendingParams(Action<IReadOnlyList<TrialParam>> write)
    {
        lock (_writeGate)
        {
            StopFlushTimer();
            write(_pendingParams ?? (IReadOnlyList<TrialParam>)[]);
            _pendingParams = null;
        }
    }

    private void StopFlushTimer()
    {
        if (_flushTimer is not null)
        {
            _flushTimer.Dispose();
            _flushTimer = null;
            _study.PendingParamWrites.TryRemove(TrialId, out _);
        }
    }

    private void FlushFromTimer()
    {
        try
        {
            FlushParams();
        }
        catch (Exception e) when (e is TrialFinishedException or StorageException)
        {
            // Finished elsewhere (now marked), or the storage unreachable: the suggestions go with the trial's next write.
        }
#pragma warning disable CA1031 // a timer callback must never throw: an exception here would end the process
        catch (Exception)
#pragma warning restore CA1031
        {
            // The storage was closed (the study disposed with the trial still running) or failed otherwise: the
            // suggestions were never committed, and the trial's own next write, if any, reports the problem.
        }
    }

    private double Choose(string name, Distribution distribution)
    {
        if (_fixedParams is not null && _fixedParams.TryGetValue(name, out var fixedValue))
        {
            return FixedValue(name, distribution, fixedValue);
        }

        if (distribution.IsSingle)
        {
            return DistributionSampling.NthValueOrLow(distribution);
        }

        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return Sample(name, distribution);
        }
        catch (Exception e) when (e is not SamplerException and not TrialFinishedException)
        {
            throw new SamplerException($"{_study.Sampler.GetType().Name} could not sample parameter \"{name}\" ({distribution}): {e.Message}", e);
        }
        finally
        {
            if (HoneInstruments.SuggestDuration.Enabled)
            {
                HoneInstruments.SuggestDuration.Record(HoneInstruments.SecondsSince(start), HoneInstruments.Study(_study.Name), new("sampler", _study.Sampler.GetType().Name));
            }
        }
    }

    private double Sample(string name, Distribution distribution)
    {
        if (_relativeSpace is null)
        {
            var snapshot = Snapshot();
            _relativeSpace = _study.Sampler.InferRelativeSearchSpace(_study, snapshot);
            _relativeParams = _relativeSpace.Count == 0
                ? FrozenTrial.NoParams
                : _study.Sampler.SampleRelative(_study, snapshot, _relativeSpace);
        }

        if (_relativeSpace.TryGetValue(name, out var relativeDistribution)
            && relativeDistribution == distribution
            && _relativeParams!.TryGetValue(name, out var relative))
        {
            return relative;
        }

        return _study.Sampler.SampleIndependent(_study, Snapshot(), name, distribution);
    }

    private static double FixedValue(string name, Distribution distribution, JsonElement value)
    {
        var external = DistributionJson.ReadChoice(value);
        double x;
        try
        {
            x = distribution.ToInternal(external);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"The enqueued value of parameter \"{name}\" does not fit its distribution: {e.Message}", nameof(name), e);
        }

        return distribution.Contains(x)
            ? x
            : throw new ArgumentException($"The enqueued value {value.GetRawText()} of parameter \"{name}\" is outside {distribution}.", nameof(name));
    }
}
