using System.Text.Json;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Storage.Journal;

/// <summary>
/// The studies and trials a journal describes, built by applying its lines in order with Optuna's replay rules
/// (<c>JournalStorageReplayResult</c>): study ids count created studies from 0, trial ids count created trials from 0
/// across studies, a trial's number counts the trials of its study; an operation that is invalid where it stands (a
/// duplicate study name, a missing study or trial, a change to a finished trial, a parameter whose distribution
/// contradicts an earlier one) is skipped, so every reader of the file arrives at the same state.
/// </summary>
/// <remarks>
/// Two differences from Optuna, both invisible to Optuna: an attribute set on a finished trial by a Hone writer (worker
/// id starting with <see cref="HoneWorkerPrefix"/>) is applied, because Hone's contract allows it; and the system
/// attribute <see cref="HeartbeatKey"/> is kept as the trial's heartbeat rather than shown among its attributes.
/// </remarks>
internal sealed class JournalReplay
{
    /// <summary>How Hone's worker ids begin, so that its lines are told from Optuna's.</summary>
    public const string HoneWorkerPrefix = "hone-";

    /// <summary>The trial system attribute holding a heartbeat (ISO time, UTC).</summary>
    public const string HeartbeatKey = "hone_heartbeat";

    private readonly Dictionary<long, StudyState> _studies = [];
    private readonly Dictionary<string, long> _studyIdsByName = new(StringComparer.Ordinal);
    private readonly Dictionary<long, TrialRecord> _trials = [];
    private long _nextStudyId;

    /// <summary>Lines applied (or skipped) so far: the version of every change.</summary>
    public long LinesRead { get; private set; }

    /// <summary>The id the next trial created will get.</summary>
    public long NextTrialId { get; private set; }

    /// <summary>Lines that were not JSON or not an operation (skipped).</summary>
    public long BadLines { get; private set; }

    public IEnumerable<StudyState> Studies => _studies.Values;

    public StudyState? FindStudy(long studyId) => _studies.GetValueOrDefault(studyId);

    public long? FindStudy(string name) => _studyIdsByName.TryGetValue(name, out var id) ? id : null;

    public TrialRecord? FindTrial(long trialId) => _trials.GetValueOrDefault(trialId);

    public void Apply(ReadOnlyMemory<byte> line)
    {
        LinesRead++;
        if (line.Span.Trim(" \t\r"u8).IsEmpty)
        {
            return;
        }

        try
        {
            using var doc = JournalJson.Parse(line);
            var log = doc.RootElement;
            var honeWriter = log.TryGetProperty("worker_id", out var w) && w.ValueKind == JsonValueKind.String &&
                             w.GetString()!.StartsWith(HoneWorkerPrefix, StringComparison.Ordinal);
            switch ((JournalOperation)log.GetProperty("op_code").GetInt32())
            {
                case JournalOperation.CreateStudy:
                    CreateStudy(log);
                    break;
                case JournalOperation.DeleteStudy:
                    DeleteStudy(log.GetProperty("study_id").GetInt64());
                    break;
                case JournalOperation.SetStudyUserAttr:
                    SetStudyAttr(log, "user_attr", s => s.UserAttrs);
                    break;
                case JournalOperation.SetStudySystemAttr:
                    SetStudyAttr(log, "system_attr", s => s.SystemAttrs);
                    break;
                case JournalOperation.CreateTrial:
                    CreateTrial(log);
                    break;
                case JournalOperation.SetTrialParam:
                    SetTrialParam(log);
                    break;
                case JournalOperation.SetTrialStateValues:
                    SetTrialStateValues(log);
                    break;
                case JournalOperation.SetTrialIntermediateValue:
                    SetTrialIntermediateValue(log);
                    break;
                case JournalOperation.SetTrialUserAttr:
                    SetTrialAttr(log, system: false, honeWriter);
                    break;
                case JournalOperation.SetTrialSystemAttr:
                    SetTrialAttr(log, system: true, honeWriter);
                    break;
                default:
                    BadLines++;
                    break;
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            // Optuna stops reading at such a line; skipping it lets the rest of the journal be used.
            BadLines++;
        }
    }

    /// <summary>Whether a parameter's distribution agrees with the one the study's trials already use for that name.</summary>
    public static bool Compatible(Distribution? earlier, Distribution next) => earlier switch
    {
        null => true,
        _ when earlier.GetType() != next.GetType() => false,
        FloatDistribution f => f.Log == ((FloatDistribution)next).Log,
        IntDistribution i => i.Log == ((IntDistribution)next).Log,
        CategoricalDistribution => earlier.ToJson() == next.ToJson(),
        _ => true,
    };

    private void CreateStudy(JsonElement log)
    {
        var name = log.GetProperty("study_name").GetString()!;
        if (_studyIdsByName.ContainsKey(name))
        {
            return;
        }

        var directions = log.GetProperty("directions").EnumerateArray()
            .Select(d => d.GetInt32() == (int)StudyDirection.Maximize ? StudyDirection.Maximize : StudyDirection.Minimize).ToArray();
        var id = _nextStudyId++;
        _studies[id] = new StudyState(new StudyRecord(id, name, directions));
        _studyIdsByName[name] = id;
    }

    private void DeleteStudy(long studyId)
    {
        if (!_studies.Remove(studyId, out var study))
        {
            return;
        }

        _studyIdsByName.Remove(study.Record.Name);
        foreach (var t in study.Trials)
        {
            _trials.Remove(t.TrialId);
        }
    }

    private void SetStudyAttr(JsonElement log, string field, Func<StudyState, Dictionary<string, JsonElement>> attrs)
    {
        if (_studies.TryGetValue(log.GetProperty("study_id").GetInt64(), out var study))
        {
            foreach (var p in log.GetProperty(field).EnumerateObject())
            {
                attrs(study)[p.Name] = JournalJson.Attr(p.Value);
            }
        }
    }

    private void CreateTrial(JsonElement log)
    {
        if (!_studies.TryGetValue(log.GetProperty("study_id").GetInt64(), out var study))
        {
            return;
        }

        var trial = new TrialRecord(NextTrialId, study.Trials.Count, study.Record.StudyId)
        {
            State = log.TryGetProperty("state", out var state) ? (TrialState)state.GetInt32() : TrialState.Running,
            Start = log.TryGetProperty("datetime_start", out var start) ? JournalJson.Time(start) : null,
            Complete = log.TryGetProperty("datetime_complete", out var complete) ? JournalJson.Time(complete) : null,
        };
        if (log.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Array)
        {
            trial.Values = [.. values.EnumerateArray().Select(JournalJson.Double)];
        }
        else if (log.TryGetProperty("value", out var value) && value.ValueKind != JsonValueKind.Null)
        {
            trial.Values = [JournalJson.Double(value)];
        }

        if (log.TryGetProperty("distributions", out var distributions))
        {
            foreach (var p in distributions.EnumerateObject())
            {
                trial.Distributions[p.Name] = Distribution.FromJson(p.Value.GetString()!);
            }
        }

        if (log.TryGetProperty("params", out var parameters))
        {
            foreach (var p in parameters.EnumerateObject())
            {
                trial.Params[p.Name] = JournalJson.Double(p.Value);
                study.FirstDistributions.TryAdd(p.Name, trial.Distributions[p.Name]);
            }
        }

        if (log.TryGetProperty("intermediate_values", out var intermediate))
        {
            foreach (var p in intermediate.EnumerateObject())
            {
                trial.Intermediate[int.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture)] = JournalJson.Double(p.Value);
            }
        }

        if (log.TryGetProperty("user_attrs", out var user))
        {
            foreach (var p in user.EnumerateObject())
            {
                trial.UserAttrs[p.Name] = JournalJson.Attr(p.Value);
            }
        }

        if (log.TryGetProperty("system_attrs", out var system))
        {
            foreach (var p in system.EnumerateObject())
            {
                SetSystemAttr(trial, p.Name, p.Value);
            }
        }

        NextTrialId++;
        study.Trials.Add(trial);
        _trials[trial.TrialId] = trial;
        Touch(study, trial);
    }

    private void SetTrialParam(JsonElement log)
    {
        if (Updatable(log) is not { } trial)
        {
            return;
        }

        var study = _studies[trial.StudyId];
        var name = log.GetProperty("param_name").GetString()!;
        var distribution = Distribution.FromJson(log.GetProperty("distribution").GetString()!);
        if (!Compatible(study.FirstDistributions.GetValueOrDefault(name), distribution))
        {
            return;
        }

        study.FirstDistributions.TryAdd(name, distribution);
        trial.Params[name] = JournalJson.Double(log.GetProperty("param_value_internal"));
        trial.Distributions[name] = distribution;
        Touch(study, trial);
    }

    private void SetTrialStateValues(JsonElement log)
    {
        if (Updatable(log) is not { } trial)
        {
            return;
        }

        var state = (TrialState)log.GetProperty("state").GetInt32();
        if (state == TrialState.Running && trial.State == TrialState.Running)
        {
            return;
        }

        if (state == TrialState.Running)
        {
            trial.Start = JournalJson.Time(log.GetProperty("datetime_start"));
        }

        if (state.IsFinished())
        {
            trial.Complete = JournalJson.Time(log.GetProperty("datetime_complete"));
        }

        trial.State = state;
        if (log.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Array)
        {
            trial.Values = [.. values.EnumerateArray().Select(JournalJson.Double)];
        }

        Touch(_studies[trial.StudyId], trial);
    }

    private void SetTrialIntermediateValue(JsonElement log)
    {
        if (Updatable(log) is { } trial)
        {
            trial.Intermediate[log.GetProperty("step").GetInt32()] = JournalJson.Double(log.GetProperty("intermediate_value"));
            Touch(_studies[trial.StudyId], trial);
        }
    }

    private void SetTrialAttr(JsonElement log, bool system, bool honeWriter)
    {
        if (!_trials.TryGetValue(log.GetProperty("trial_id").GetInt64(), out var trial) || (trial.State.IsFinished() && !honeWriter))
        {
            return;
        }

        var changed = false;
        foreach (var p in log.GetProperty(system ? "system_attr" : "user_attr").EnumerateObject())
        {
            if (system)
            {
                changed |= SetSystemAttr(trial, p.Name, p.Value);
            }
            else
            {
                trial.UserAttrs[p.Name] = JournalJson.Attr(p.Value);
                changed = true;
            }
        }

        if (changed)
        {
            Touch(_studies[trial.StudyId], trial);
        }
    }

    /// <summary>Sets a system attribute, or the heartbeat; returns whether what readers see changed.</summary>
    private static bool SetSystemAttr(TrialRecord trial, string key, JsonElement value)
    {
        if (key == HeartbeatKey)
        {
            trial.Heartbeat = JournalJson.Time(value);
            return false;
        }

        trial.SystemAttrs[key] = JournalJson.Attr(value);
        return true;
    }

    private TrialRecord? Updatable(JsonElement log) =>
        _trials.TryGetValue(log.GetProperty("trial_id").GetInt64(), out var trial) && !trial.State.IsFinished() ? trial : null;

    /// <summary>Records a change: the trial's snapshot is stale, and the study logs which trial changed at this line.</summary>
    private void Touch(StudyState study, TrialRecord trial)
    {
        trial.Cached = null;
        study.Version = LinesRead;
        var log = study.ChangeLog;
        if (log.Count > 0 && log[^1].Number == trial.Number)
        {
            log[^1] = (LinesRead, trial.Number);
        }
        else
        {
            log.Add((LinesRead, trial.Number));
        }
    }

    internal sealed class StudyState(StudyRecord record)
    {
        public StudyRecord Record { get; } = record;

        public List<TrialRecord> Trials { get; } = [];

        public List<(long Version, int Number)> ChangeLog { get; } = [];

        public Dictionary<string, JsonElement> UserAttrs { get; } = [];

        public Dictionary<string, JsonElement> SystemAttrs { get; } = [];

        /// <summary>Each parameter name's first distribution in the study (later ones must be compatible).</summary>
        public Dictionary<string, Distribution> FirstDistributions { get; } = new(StringComparer.Ordinal);

        /// <summary>The line of the study's last trial change.</summary>
        public long Version { get; set; }

        public int FirstMaybeWaiting { get; set; }
    }

    /// <summary>The mutable record of a trial; readers only ever see its snapshots.</summary>
    internal sealed class TrialRecord(long trialId, int number, long studyId)
    {
        private Dictionary<string, double>? _params;
        private Dictionary<string, Distribution>? _distributions;
        private Dictionary<int, double>? _intermediate;
        private Dictionary<string, JsonElement>? _userAttrs;
        private Dictionary<string, JsonElement>? _systemAttrs;

        public long TrialId { get; } = trialId;

        public int Number { get; } = number;

        public long StudyId { get; } = studyId;

        public TrialState State { get; set; }

        public double[]? Values { get; set; }

        public DateTime? Start { get; set; }

        public DateTime? Complete { get; set; }

        public DateTime? Heartbeat { get; set; }

        public Dictionary<string, double> Params => _params ??= [];

        public Dictionary<string, Distribution> Distributions => _distributions ??= [];

        public Dictionary<int, double> Intermediate => _intermediate ??= [];

        public Dictionary<string, JsonElement> UserAttrs => _userAttrs ??= [];

        public Dictionary<string, JsonElement> SystemAttrs => _systemAttrs ??= [];

        public FrozenTrial? Cached { get; set; }

        public FrozenTrial Snapshot() => Cached ??= new FrozenTrial
        {
            Number = Number,
            TrialId = TrialId,
            State = State,
            Values = Values,
            DatetimeStart = Start,
            DatetimeComplete = Complete,
            InternalParams = Copy(_params),
            Distributions = Copy(_distributions),
            IntermediateValues = Copy(_intermediate),
            UserAttrs = Copy(_userAttrs),
            SystemAttrs = Copy(_systemAttrs),
        };

        private static IReadOnlyDictionary<TKey, TValue> Copy<TKey, TValue>(Dictionary<TKey, TValue>? source)
            where TKey : notnull =>
            source is { Count: > 0 } ? new Dictionary<TKey, TValue>(source) : System.Collections.ObjectModel.ReadOnlyDictionary<TKey, TValue>.Empty;
    }
}
