using System.Text.Json;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Storage;

/// <summary>
/// A thread-safe storage in the process's memory: the fastest, and gone when the process ends. The
/// default when a study names no storage.
/// </summary>
/// <remarks>
/// One lock guards everything; every operation is a few dictionary updates, so contention is short.
/// Reads return cached immutable snapshots, rebuilt only after a trial changes.
/// </remarks>
public sealed class InMemoryStorage : IStorage
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<long, StudyState> _studies = [];
    private readonly Dictionary<string, long> _studyIdsByName = new(StringComparer.Ordinal);
    private readonly Dictionary<long, TrialRecord> _trials = [];
    private long _nextStudyId = 1;
    private long _nextTrialId = 1;

    /// <summary>Creates an empty storage.</summary>
    /// <param name="timeProvider">The clock for trial start and end times; the system clock by default.</param>
    public InMemoryStorage(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public long CreateStudy(string name, IReadOnlyList<StudyDirection> directions)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(directions);
        lock (_gate)
        {
            if (_studyIdsByName.ContainsKey(name))
            {
                throw new DuplicateStudyException(name);
            }

            var id = _nextStudyId++;
            _studies[id] = new StudyState(new StudyRecord(id, name, [.. directions]));
            _studyIdsByName[name] = id;
            return id;
        }
    }

    /// <inheritdoc/>
    public void DeleteStudy(long studyId)
    {
        lock (_gate)
        {
            var study = Study(studyId);
            foreach (var t in study.Trials)
            {
                _trials.Remove(t.TrialId);
            }

            _studies.Remove(studyId);
            _studyIdsByName.Remove(study.Record.Name);
        }
    }

    /// <inheritdoc/>
    public long? FindStudy(string name)
    {
        lock (_gate)
        {
            return _studyIdsByName.TryGetValue(name, out var id) ? id : null;
        }
    }

    /// <inheritdoc/>
    public StudyRecord GetStudy(long studyId)
    {
        lock (_gate)
        {
            return Study(studyId).Record;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<StudyRecord> GetAllStudies()
    {
        lock (_gate)
        {
            return [.. _studies.Values.Select(s => s.Record).OrderBy(r => r.StudyId)];
        }
    }

    /// <inheritdoc/>
    public void SetStudyUserAttr(long studyId, string key, JsonElement value)
    {
        lock (_gate)
        {
            Study(studyId).UserAttrs[key] = value;
        }
    }

    /// <inheritdoc/>
    public void SetStudySystemAttr(long studyId, string key, JsonElement value)
    {
        lock (_gate)
        {
            Study(studyId).SystemAttrs[key] = value;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, JsonElement> GetStudyUserAttrs(long studyId)
    {
        lock (_gate)
        {
            return new Dictionary<string, JsonElement>(Study(studyId).UserAttrs);
        }
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, JsonElement> GetStudySystemAttrs(long studyId)
    {
        lock (_gate)
        {
            return new Dictionary<string, JsonElement>(Study(studyId).SystemAttrs);
        }
    }

    /// <inheritdoc/>
    public FrozenTrial CreateTrial(long studyId, FrozenTrial? template = null, TrialClaim? claim = null)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            return CreateTrialLocked(studyId, template, claim, now);
        }
    }

    private FrozenTrial CreateTrialLocked(long studyId, FrozenTrial? template, TrialClaim? claim, DateTime now)
    {
        var study = Study(studyId);
        var trial = new TrialRecord(_nextTrialId++, study.Trials.Count, studyId);
        if (template is null)
        {
            trial.State = TrialState.Running;
            trial.Start = now;
        }
        else
        {
            trial.State = template.State;
            trial.Values = template.Values?.ToArray();
            trial.Start = template.DatetimeStart ?? (template.State == TrialState.Waiting ? null : now);
            trial.Complete = template.DatetimeComplete ?? (template.State.IsFinished() ? now : null);
            foreach (var (k, v) in template.InternalParams)
            {
                trial.Params[k] = v;
                trial.Distributions[k] = template.Distributions[k];
            }

            foreach (var (k, v) in template.IntermediateValues)
            {
                trial.Intermediate[k] = v;
            }

            foreach (var (k, v) in template.UserAttrs)
            {
                trial.UserAttrs[k] = v;
            }

            foreach (var (k, v) in template.SystemAttrs)
            {
                trial.SystemAttrs[k] = v;
            }
        }

        if (trial.State == TrialState.Running)
        {
            Claim(trial, claim, now);
        }

        study.Trials.Add(trial);
        _trials[trial.TrialId] = trial;
        Touch(study, trial);
        return trial.Snapshot();
    }

    /// <inheritdoc/>
    public FrozenTrial? PopWaitingTrial(long studyId, TrialClaim? claim = null)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            var study = Study(studyId);
            while (study.FirstMaybeWaiting < study.Trials.Count)
            {
                var trial = study.Trials[study.FirstMaybeWaiting];
                if (trial.State == TrialState.Waiting)
                {
                    break;
                }

                study.FirstMaybeWaiting++;
            }

            for (var i = study.FirstMaybeWaiting; i < study.Trials.Count; i++)
            {
                var trial = study.Trials[i];
                if (trial.State == TrialState.Waiting)
                {
                    trial.State = TrialState.Running;
                    trial.Start = now;
                    Claim(trial, claim, now);
                    Touch(study, trial);
                    return trial.Snapshot();
                }
            }

            return null;
        }
    }

    /// <inheritdoc/>
    public void SetTrialParam(long trialId, string name, double internalValue, Distribution distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        lock (_gate)
        {
            var trial = Unfinished(trialId, "set a parameter");
            trial.Params[name] = internalValue;
            trial.Distributions[name] = distribution;
            trial.ParamsCopy = null;
            Touch(_studies[trial.StudyId], trial);
        }
    }

    /// <inheritdoc/>
    public void SetTrialStateValues(long trialId, TrialState state, IReadOnlyList<double>? values,
        IReadOnlyDictionary<string, JsonElement>? systemAttrs = null, FrozenTrial? retry = null)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            var trial = Unfinished(trialId, "change its state");
            if (state == TrialState.Waiting)
            {
                throw new InvalidOperationException($"Trial #{trial.Number} cannot be moved back to Waiting.");
            }

            if (state == TrialState.Running && trial.State == TrialState.Waiting)
            {
                trial.Start = now;
            }

            trial.State = state;
            trial.Values = values?.ToArray();
            if (state.IsFinished())
            {
                trial.Complete = now;
            }

            foreach (var (k, v) in systemAttrs ?? FrozenTrial.NoAttrs)
            {
                trial.SystemAttrs[k] = v;
                trial.AttrsCopy = null;
            }

            Touch(_studies[trial.StudyId], trial);
            if (retry is not null)
            {
                CreateTrialLocked(trial.StudyId, retry, null, now);
            }
        }
    }

    /// <inheritdoc/>
    public void SetTrialIntermediateValue(long trialId, int step, double value)
    {
        lock (_gate)
        {
            var trial = Unfinished(trialId, "report an intermediate value");
            trial.Intermediate[step] = value;
            trial.IntermediateCopy = null;
            Touch(_studies[trial.StudyId], trial);
        }
    }

    /// <inheritdoc/>
    public void SetTrialUserAttr(long trialId, string key, JsonElement value)
    {
        lock (_gate)
        {
            var trial = Trial(trialId);
            trial.UserAttrs[key] = value;
            trial.AttrsCopy = null;
            Touch(_studies[trial.StudyId], trial);
        }
    }

    /// <inheritdoc/>
    public void SetTrialSystemAttr(long trialId, string key, JsonElement value)
    {
        lock (_gate)
        {
            var trial = Trial(trialId);
            trial.SystemAttrs[key] = value;
            trial.AttrsCopy = null;
            Touch(_studies[trial.StudyId], trial);
        }
    }

    /// <inheritdoc/>
    public FrozenTrial GetTrial(long trialId)
    {
        lock (_gate)
        {
            return Trial(trialId).Snapshot();
        }
    }

    /// <inheritdoc/>
    public TrialChanges GetTrialsChangedSince(long studyId, long sinceVersion)
    {
        lock (_gate)
        {
            var study = Study(studyId);
            if (sinceVersion >= study.Version)
            {
                return new TrialChanges([], study.Version);
            }

            if (sinceVersion <= 0)
            {
                return new TrialChanges([.. study.Trials.Select(t => t.Snapshot())], study.Version);
            }

            var log = study.ChangeLog;
            var lo = 0;
            var hi = log.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (log[mid].Version <= sinceVersion)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            var seen = new HashSet<int>();
            var changed = new List<FrozenTrial>(log.Count - lo);
            for (var i = lo; i < log.Count; i++)
            {
                if (seen.Add(log[i].Number))
                {
                    changed.Add(study.Trials[log[i].Number].Snapshot());
                }
            }

            return new TrialChanges(changed, study.Version);
        }
    }

    /// <inheritdoc/>
    public bool RecordHeartbeat(long trialId)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            var trial = Trial(trialId);
            if (trial.State != TrialState.Running)
            {
                return false;
            }

            trial.Heartbeat = now;
            return true;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<FrozenTrial> FailStaleTrials(long studyId, TimeSpan gracePeriod, Func<FrozenTrial, FrozenTrial?>? retry = null,
        Func<FrozenTrial, bool?>? isOwnerAlive = null)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            var study = Study(studyId);
            List<FrozenTrial>? failed = null;
            foreach (var trial in study.Trials.ToArray())
            {
                if (trial.State != TrialState.Running)
                {
                    continue;
                }

                var alive = isOwnerAlive?.Invoke(trial.Snapshot());
                var stale = trial.Heartbeat is { } beat && now - beat > gracePeriod;
                if (alive == true || (alive is null && !stale))
                {
                    continue;
                }

                trial.State = TrialState.Fail;
                trial.Complete = now;
                trial.SystemAttrs[StaleTrials.FailReasonKey] = alive == false
                    ? StaleTrials.OwnerGoneReason()
                    : StaleTrials.FailReason(now - trial.Heartbeat!.Value);
                trial.AttrsCopy = null;
                Touch(study, trial);
                var snapshot = trial.Snapshot();
                (failed ??= []).Add(snapshot);
                if (retry?.Invoke(snapshot) is { } template)
                {
                    CreateTrialLocked(studyId, template, null, now);
                }
            }

            return failed ?? (IReadOnlyList<FrozenTrial>)[];
        }
    }

    private static void Claim(TrialRecord trial, TrialClaim? claim, DateTime now)
    {
        if (claim is null)
        {
            return;
        }

        foreach (var (k, v) in claim.SystemAttrs)
        {
            trial.SystemAttrs[k] = v;
        }

        trial.AttrsCopy = null;
        if (claim.Heartbeat)
        {
            trial.Heartbeat = now;
        }
    }

    /// <summary>Records a change: bumps the study's version and logs which trial changed.</summary>
    private static void Touch(StudyState study, TrialRecord trial)
    {
        trial.Cached = null;
        study.Version++;
        var log = study.ChangeLog;
        if (log.Count > 0 && log[^1].Number == trial.Number)
        {
            log[^1] = (study.Version, trial.Number);
        }
        else
        {
            log.Add((study.Version, trial.Number));
        }
    }

    private StudyState Study(long studyId) =>
        _studies.TryGetValue(studyId, out var s) ? s : throw new StudyNotFoundException($"No study with id {studyId} in this storage.");

    private TrialRecord Trial(long trialId) =>
        _trials.TryGetValue(trialId, out var t) ? t : throw new StudyNotFoundException($"No trial with id {trialId} in this storage.");

    private TrialRecord Unfinished(long trialId, string attempted)
    {
        var trial = Trial(trialId);
        return trial.State.IsFinished() ? throw new TrialFinishedException(trial.Number, trial.State, attempted) : trial;
    }

    private sealed class StudyState(StudyRecord record)
    {
        public StudyRecord Record { get; } = record;

        public List<TrialRecord> Trials { get; } = [];

        public List<(long Version, int Number)> ChangeLog { get; } = [];

        public Dictionary<string, JsonElement> UserAttrs { get; } = [];

        public Dictionary<string, JsonElement> SystemAttrs { get; } = [];

        public long Version { get; set; }

        public int FirstMaybeWaiting { get; set; }
    }

    /// <summary>The mutable record of a trial inside the storage; readers only ever see snapshots.</summary>
    private sealed class TrialRecord(long trialId, int number, long studyId)
    {
        public long TrialId { get; } = trialId;

        public int Number { get; } = number;

        public long StudyId { get; } = studyId;

        public TrialState State { get; set; }

        public double[]? Values { get; set; }

        public DateTime? Start { get; set; }

        public DateTime? Complete { get; set; }

        public DateTime? Heartbeat { get; set; }

        // Allocated on first write (the getters): most trials never get attributes or intermediate values.
        private Dictionary<string, double>? _params;
        private Dictionary<string, Distribution>? _distributions;
        private Dictionary<int, double>? _intermediate;
        private Dictionary<string, JsonElement>? _userAttrs;
        private Dictionary<string, JsonElement>? _systemAttrs;

        public Dictionary<string, double> Params => _params ??= [];

        public Dictionary<string, Distribution> Distributions => _distributions ??= [];

        public Dictionary<int, double> Intermediate => _intermediate ??= [];

        public Dictionary<string, JsonElement> UserAttrs => _userAttrs ??= [];

        public Dictionary<string, JsonElement> SystemAttrs => _systemAttrs ??= [];

        public FrozenTrial? Cached { get; set; }

        /// <summary>Frozen copies of the parts of the trial, each rebuilt only when that part changes.</summary>
        public (IReadOnlyDictionary<string, double> Params, IReadOnlyDictionary<string, Distribution> Distributions)? ParamsCopy { get; set; }

        public IReadOnlyDictionary<int, double>? IntermediateCopy { get; set; }

        public (IReadOnlyDictionary<string, JsonElement> User, IReadOnlyDictionary<string, JsonElement> System)? AttrsCopy { get; set; }

        public FrozenTrial Snapshot()
        {
            if (Cached is not null)
            {
                return Cached;
            }

            // A finished trial's params and intermediate values never change again, so its snapshot may
            // share the record's own dictionaries instead of copying them.
            var finished = State.IsFinished();
            var (parameters, distributions) = ParamsCopy ??= _params is not { Count: > 0 }
                ? (FrozenTrial.NoParams, FrozenTrial.NoDistributions)
                : finished ? (_params, _distributions!)
                : (new Dictionary<string, double>(_params), new Dictionary<string, Distribution>(_distributions!));
            var intermediate = IntermediateCopy ??= _intermediate is not { Count: > 0 } ? FrozenTrial.NoIntermediate
                : finished ? _intermediate
                : new Dictionary<int, double>(_intermediate);
            var (user, system) = AttrsCopy ??= (
                _userAttrs is not { Count: > 0 } ? FrozenTrial.NoAttrs : new Dictionary<string, JsonElement>(_userAttrs),
                _systemAttrs is not { Count: > 0 } ? FrozenTrial.NoAttrs : new Dictionary<string, JsonElement>(_systemAttrs));
            return Cached = new FrozenTrial
            {
                Number = Number,
                TrialId = TrialId,
                State = State,
                Values = Values,
                DatetimeStart = Start,
                DatetimeComplete = Complete,
                InternalParams = parameters,
                Distributions = distributions,
                IntermediateValues = intermediate,
                UserAttrs = user,
                SystemAttrs = system,
            };
        }
    }
}
