using System.Text.Json;
using Hone.Distributions;
using Hone.Samplers;
using Hone.Studies;

namespace Hone.Trials;

/// <summary>
/// The trial a study hands to an objective: each suggestion is answered (fixed value, relative sample or
/// independent sample) and written to the storage at once, so a crash loses nothing already suggested.
/// </summary>
internal sealed class LiveTrial : Trial
{
    private readonly Study _study;
    private readonly FrozenTrial _start;
    private readonly AppendOnlyMap<string, double> _internal = new();
    private readonly AppendOnlyMap<string, Distribution> _distributions = new();
    private readonly AppendOnlyMap<int, double> _intermediate = new();
    private Dictionary<string, JsonElement>? _userAttrs;
    private Dictionary<string, JsonElement>? _vectorAttrs;
    private readonly Dictionary<string, JsonElement>? _fixedParams;
    private IReadOnlyDictionary<string, Distribution>? _relativeSpace;
    private IReadOnlyDictionary<string, double>? _relativeParams;
    private FrozenTrial? _snapshot;
    private CancellationTokenSource? _finishedElsewhere;
    private int _lost;

    public LiveTrial(Study study, FrozenTrial start)
    {
        _study = study;
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
        if (_vectorAttrs?.ContainsKey(key) == true || _start.SystemAttrs.ContainsKey(key))
        {
            return;
        }

        var json = IntermediateVectorAttributes.ToJson(values);
        try
        {
            _study.Storage.SetTrialSystemAttr(TrialId, key, json);
        }
        catch (TrialFinishedException) when (FinalState is null)
        {
            MarkFinishedElsewhere();
            throw;
        }

        (_vectorAttrs ??= [])[key] = json;
        _snapshot = null;
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
        _study.Storage.SetTrialUserAttr(TrialId, key, json);
        (_userAttrs ??= [])[key] = json;
        _snapshot = null;
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
        SystemAttrs = _vectorAttrs is null ? _start.SystemAttrs : WithVectors(_start.SystemAttrs, _vectorAttrs),
    };

    private static Dictionary<string, JsonElement> WithVectors(
        IReadOnlyDictionary<string, JsonElement> start, Dictionary<string, JsonElement> vectors)
    {
        var merged = new Dictionary<string, JsonElement>(start);
        foreach (var (key, json) in vectors)
        {
            merged[key] = json;
        }

        return merged;
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
        try
        {
            _study.Storage.SetTrialParam(TrialId, name, x, distribution);
        }
        catch (TrialFinishedException) when (FinalState is null)
        {
            MarkFinishedElsewhere();
            throw;
        }

        _internal.Add(name, x);
        _distributions.Add(name, distribution);
        _snapshot = null;
        return x;
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

        try
        {
            return Sample(name, distribution);
        }
        catch (Exception e) when (e is not SamplerException and not TrialFinishedException)
        {
            throw new SamplerException($"{_study.Sampler.GetType().Name} could not sample parameter \"{name}\" ({distribution}): {e.Message}", e);
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
