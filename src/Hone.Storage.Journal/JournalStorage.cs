using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Globalization;
using System.Text.Json;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Storage.Journal;

/// <summary>
/// A storage in one append-only journal file in the format of Optuna's <c>JournalFileStorage</c>: every change is a
/// JSON line appended under a lock file, and every process replays the lines it has not read yet before it reads or
/// writes. For processes on many machines that share a file system (NFS) and no database server; Optuna's
/// <c>JournalStorage(JournalFileStorage(path))</c> reads and writes the same file, at the same time.
/// </summary>
/// <remarks>
/// <para>Every write takes the lock, reads what other processes appended, checks the change against that state (a
/// finished trial refuses changes with <see cref="TrialFinishedException"/>), and appends all lines of the operation
/// with one write followed by an fsync, so a refused or failed write leaves no line and an operation of several lines
/// (a failure with its reason and its retry) is read whole or not at all. A line torn by a writer killed mid-write is
/// ignored by readers and cut off by the next writer.</para>
/// <para>Heartbeats are recorded as the trial system attribute <c>hone_heartbeat</c> (one line per beat; Optuna's
/// journal has no heartbeats of its own), so stale trials are found across machines.</para>
/// <para>Open one with <c>new JournalStorage("study.log")</c> or through a URL (<c>journal:///study.log</c>,
/// <c>journal:////abs/study.log?lock=open</c>) in <see cref="StudyOptions.StorageUrl"/>. Opening replays the whole
/// file, so its cost grows with the journal's length.</para>
/// </remarks>
public sealed class JournalStorage : IStorage, IDisposable
{
    /// <summary>How old a lock file must be before a writer takes it as left by a killed process and removes it.</summary>
    public static readonly TimeSpan DefaultStaleLockAge = TimeSpan.FromSeconds(60);

    private readonly Lock _gate = new();
    private readonly JournalFile _file;
    private readonly JournalReplay _replay = new();
    private readonly TimeProvider _time;
    private readonly string _workerPrefix = JournalReplay.HoneWorkerPrefix + Guid.NewGuid().ToString("D") + "-";
    private long _offset;

    /// <summary>Opens (creating if absent) the journal file at a path.</summary>
    /// <param name="path">The journal file; its folder must exist.</param>
    /// <param name="lockKind">How writers take turns (Optuna's default is the symbolic link).</param>
    /// <param name="staleLockAge">
    /// How old a lock file must be to be removed as left by a killed writer: <see cref="DefaultStaleLockAge"/> when null;
    /// <see cref="TimeSpan.Zero"/> never removes one (as Optuna).
    /// </param>
    /// <param name="timeProvider">The clock for trial times and heartbeats; the system clock by default.</param>
    /// <exception cref="StorageException">The folder is missing or the file cannot be opened.</exception>
    public JournalStorage(string path, JournalLockKind lockKind = JournalLockKind.Symlink, TimeSpan? staleLockAge = null, TimeProvider? timeProvider = null)
        : this(null, path, lockKind, staleLockAge is { } age && age <= TimeSpan.Zero ? null : staleLockAge ?? DefaultStaleLockAge, timeProvider)
    {
    }

    /// <summary>Opens the journal a <c>journal:///</c> URL names (options <c>lock=symlink|open</c>, <c>stale_lock_seconds=N</c>).</summary>
    /// <exception cref="StorageException">The URL's options are wrong, the folder is missing, or the file cannot be opened.</exception>
    public JournalStorage(StorageUrl url)
        : this(url ?? throw new ArgumentNullException(nameof(url)), JournalUrl.Path(url), JournalUrl.LockKind(url), JournalUrl.StaleLockAge(url), null)
    {
    }

    private JournalStorage(StorageUrl? url, string path, JournalLockKind lockKind, TimeSpan? staleLockAge, TimeProvider? timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _time = timeProvider ?? TimeProvider.System;
        Path = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (Directory.Exists(Path))
        {
            throw new StorageException(url, $"{Path} is a folder; name a file inside it, e.g. {System.IO.Path.Combine(Path, "journal.log")}.");
        }

        if (folder is not null && !Directory.Exists(folder))
        {
            throw new StorageException(url, $"the folder {folder} does not exist (relative paths start from {Environment.CurrentDirectory}); create it first.");
        }

        try
        {
            _file = new JournalFile(Path, new JournalFileLock(Path, lockKind, staleLockAge));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageException(url, $"the journal file {Path} cannot be opened: {e.Message}", e);
        }

        lock (_gate)
        {
            Sync();
        }
    }

    /// <summary>The journal file's full path.</summary>
    public string Path { get; }

    /// <summary>Nothing to close: the file is opened only for each read and append. Present so that owners dispose storages alike.</summary>
    public void Dispose()
    {
    }

    /// <summary>Registers the <c>journal</c> scheme with <see cref="StorageUrl"/>; runs when this assembly loads.</summary>
#pragma warning disable CA2255 // the provider registers its scheme when its assembly loads; that is the point
    [System.Runtime.CompilerServices.ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => StorageUrl.RegisterProvider("journal", url => new JournalStorage(url));

    /// <inheritdoc/>
    public long CreateStudy(string name, IReadOnlyList<StudyDirection> directions)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(directions);
        return Write<long>(w =>
        {
            if (_replay.FindStudy(name) is not null)
            {
                throw new DuplicateStudyException(name);
            }

            w.CreateStudy(name, directions);
            return () => _replay.FindStudy(name) ?? throw new StudyNotFoundException($"Study \"{name}\" was deleted by another process as it was created.");
        });
    }

    /// <inheritdoc/>
    public void DeleteStudy(long studyId) => Write(w =>
    {
        Study(studyId);
        w.DeleteStudy(studyId);
    });

    /// <inheritdoc/>
    public long? FindStudy(string name) => Read(() => _replay.FindStudy(name));

    /// <inheritdoc/>
    public StudyRecord GetStudy(long studyId) => Read(() => Study(studyId).Record);

    /// <inheritdoc/>
    public IReadOnlyList<StudyRecord> GetAllStudies() => Read<IReadOnlyList<StudyRecord>>(() => [.. _replay.Studies.Select(s => s.Record).OrderBy(r => r.StudyId)]);

    /// <inheritdoc/>
    public void SetStudyUserAttr(long studyId, string key, JsonElement value) => SetStudyAttr(studyId, system: false, key, value);

    /// <inheritdoc/>
    public void SetStudySystemAttr(long studyId, string key, JsonElement value) => SetStudyAttr(studyId, system: true, key, value);

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, JsonElement> GetStudyUserAttrs(long studyId) => Read<IReadOnlyDictionary<string, JsonElement>>(() => new Dictionary<string, JsonElement>(Study(studyId).UserAttrs));

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, JsonElement> GetStudySystemAttrs(long studyId) => Read<IReadOnlyDictionary<string, JsonElement>>(() => new Dictionary<string, JsonElement>(Study(studyId).SystemAttrs));

    /// <inheritdoc/>
    public FrozenTrial CreateTrial(long studyId, FrozenTrial? template = null, TrialClaim? claim = null) => Write<FrozenTrial>(w =>
    {
        Study(studyId);
        var id = _replay.NextTrialId;
        AddTrial(w, studyId, template, claim, Now());
        return () => Trial(id).Snapshot();
    });

    /// <inheritdoc/>
    public FrozenTrial? PopWaitingTrial(long studyId, TrialClaim? claim = null)
    {
        lock (_gate)
        {
            Sync();
            if (OldestWaiting(Study(studyId)) is null)
            {
                return null; // the common case, answered without the file lock
            }
        }

        return Write<FrozenTrial?>(w =>
        {
            if (OldestWaiting(Study(studyId)) is not { } trial)
            {
                return () => null;
            }

            var now = Now();
            w.SetTrialStateValues(trial.TrialId, TrialState.Running, null, now);
            WriteClaim(w, trial.TrialId, claim, now);
            return () => Trial(trial.TrialId).Snapshot();
        });
    }

    /// <inheritdoc/>
    public void SetTrialParam(long trialId, string name, double internalValue, Distribution distribution)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(distribution);
        Write(w => WriteParam(w, Unfinished(trialId, "set a parameter"), name, internalValue, distribution));
    }

    /// <inheritdoc/>
    /// <remarks>One append (and fsync) for all of them.</remarks>
    public void SetTrialParams(long trialId, IReadOnlyList<TrialParam> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Write(w =>
        {
            var trial = Unfinished(trialId, "set a parameter");
            foreach (var p in parameters)
            {
                WriteParam(w, trial, p.Name, p.InternalValue, p.Distribution);
            }
        });
    }

    private void WriteParam(JournalWriter w, JournalReplay.TrialRecord trial, string name, double internalValue, Distribution distribution)
    {
        var earlier = _replay.FindStudy(trial.StudyId)!.FirstDistributions.GetValueOrDefault(name);
        if (!JournalReplay.Compatible(earlier, distribution))
        {
            throw new ArgumentException(
                $"Parameter \"{name}\" of trial #{trial.Number} has the distribution {distribution.ToJson()}, but the study's trials use " +
                $"{earlier!.ToJson()} for it; Optuna's journal refuses a different kind, log scale or set of choices under one name.", nameof(distribution));
        }

        w.SetTrialParam(trial.TrialId, name, internalValue, distribution);
    }

    /// <inheritdoc/>
    public void SetTrialStateValues(long trialId, TrialState state, IReadOnlyList<double>? values,
        IReadOnlyDictionary<string, JsonElement>? systemAttrs = null, FrozenTrial? retry = null) =>
        SetTrialStateValuesAndParams(trialId, state, values, systemAttrs, retry, []);

    /// <inheritdoc/>
    /// <remarks>One append (and fsync): the parameters' lines, then the state's.</remarks>
    void IStorage.SetTrialStateValues(long trialId, TrialState state, IReadOnlyList<double>? values,
        IReadOnlyDictionary<string, JsonElement>? systemAttrs, FrozenTrial? retry, IReadOnlyList<TrialParam> parameters) =>
        SetTrialStateValuesAndParams(trialId, state, values, systemAttrs, retry, parameters);

    private void SetTrialStateValuesAndParams(long trialId, TrialState state, IReadOnlyList<double>? values,
        IReadOnlyDictionary<string, JsonElement>? systemAttrs, FrozenTrial? retry, IReadOnlyList<TrialParam> parameters) => Write(w =>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var trial = Unfinished(trialId, "change its state");
        if (state == TrialState.Waiting)
        {
            throw new InvalidOperationException($"Trial #{trial.Number} cannot be moved back to Waiting.");
        }

        foreach (var p in parameters)
        {
            WriteParam(w, trial, p.Name, p.InternalValue, p.Distribution);
        }

        var now = Now();
        foreach (var (k, v) in systemAttrs ?? new Dictionary<string, JsonElement>())
        {
            w.SetTrialAttr(trialId, system: true, k, v);
        }

        // Optuna's replay ignores Running -> Running, so that line is not written.
        if (state != TrialState.Running || trial.State != TrialState.Running)
        {
            w.SetTrialStateValues(trialId, state, values, now);
        }

        if (retry is not null)
        {
            AddTrial(w, trial.StudyId, retry, null, now);
        }
    }, nameof(SetTrialStateValues));

    /// <inheritdoc/>
    public void SetTrialIntermediateValue(long trialId, int step, double value) => Write(w =>
    {
        Unfinished(trialId, "report an intermediate value");
        w.SetTrialIntermediateValue(trialId, step, value);
    });

    /// <inheritdoc/>
    public void SetTrialUserAttr(long trialId, string key, JsonElement value) => SetTrialAttr(trialId, system: false, key, value);

    /// <inheritdoc/>
    public void SetTrialSystemAttr(long trialId, string key, JsonElement value) => SetTrialAttr(trialId, system: true, key, value);

    /// <inheritdoc/>
    public FrozenTrial GetTrial(long trialId) => Read(() => Trial(trialId).Snapshot());

    /// <summary>Every trial of the study, ordered by number (the journal keeps them in that order, so nothing is sorted).</summary>
    public IReadOnlyList<FrozenTrial> GetAllTrials(long studyId) => Read<IReadOnlyList<FrozenTrial>>(() => [.. Study(studyId).Trials.Select(t => t.Snapshot())]);

    /// <inheritdoc/>
    public TrialChanges GetTrialsChangedSince(long studyId, long sinceVersion) => Read(() =>
    {
        {
            var study = Study(studyId);
            var version = _replay.LinesRead;
            if (sinceVersion >= study.Version)
            {
                return new TrialChanges([], version);
            }

            if (sinceVersion <= 0)
            {
                return new TrialChanges([.. study.Trials.Select(t => t.Snapshot())], version);
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

            return new TrialChanges(changed, version);
        }
    });

    /// <inheritdoc/>
    public bool RecordHeartbeat(long trialId)
    {
        lock (_gate)
        {
            Sync();
            if (Trial(trialId).State != TrialState.Running)
            {
                return false;
            }
        }

        return Write<bool>(w =>
        {
            if (Trial(trialId).State != TrialState.Running)
            {
                return () => false;
            }

            w.SetTrialAttr(trialId, system: true, JournalReplay.HeartbeatKey, Beat(Now()));
            return () => true;
        });
    }

    /// <inheritdoc/>
    public IReadOnlyList<FrozenTrial> FailStaleTrials(long studyId, TimeSpan gracePeriod, Func<FrozenTrial, FrozenTrial?>? retry = null,
        Func<FrozenTrial, bool?>? isOwnerAlive = null)
    {
        lock (_gate)
        {
            Sync();
            if (Stale(Study(studyId), gracePeriod, isOwnerAlive, Now()).Count == 0)
            {
                return []; // the common case, answered without the file lock
            }
        }

        return Write<IReadOnlyList<FrozenTrial>>(w =>
        {
            var now = Now();
            var stale = Stale(Study(studyId), gracePeriod, isOwnerAlive, now);
            var ids = new List<long>(stale.Count);
            foreach (var (trial, alive) in stale)
            {
                var reason = alive == false ? StaleTrials.OwnerGoneReason() : StaleTrials.FailReason(now - trial.Heartbeat!.Value);
                w.SetTrialAttr(trial.TrialId, system: true, StaleTrials.FailReasonKey, reason);
                w.SetTrialStateValues(trial.TrialId, TrialState.Fail, null, now);
                var failed = Failed(trial.Snapshot(), reason, now);
                if (retry?.Invoke(failed) is { } template)
                {
                    AddTrial(w, studyId, template, null, now);
                }

                ids.Add(trial.TrialId);
            }

            return () => [.. ids.Select(id => Trial(id).Snapshot())];
        });
    }

    /// <summary>The Running trials of a study found dead, with what <paramref name="isOwnerAlive"/> said of each.</summary>
    private static List<(JournalReplay.TrialRecord Trial, bool? Alive)> Stale(JournalReplay.StudyState study, TimeSpan gracePeriod,
        Func<FrozenTrial, bool?>? isOwnerAlive, DateTime now)
    {
        var found = new List<(JournalReplay.TrialRecord, bool?)>();
        foreach (var trial in study.Trials)
        {
            if (trial.State != TrialState.Running)
            {
                continue;
            }

            var alive = isOwnerAlive?.Invoke(trial.Snapshot());
            var stale = trial.Heartbeat is { } beat && now - beat > gracePeriod;
            if (alive == false || (alive is null && stale))
            {
                found.Add((trial, alive));
            }
        }

        return found;
    }

    /// <summary>What a failed trial looks like once its lines are applied (handed to the retry policy before they are written).</summary>
    private static FrozenTrial Failed(FrozenTrial trial, JsonElement reason, DateTime now) => trial with
    {
        State = TrialState.Fail,
        DatetimeComplete = DateTime.SpecifyKind(DateTime.Parse(JournalWriter.Time(now), CultureInfo.InvariantCulture), DateTimeKind.Utc),
        SystemAttrs = new Dictionary<string, JsonElement>(trial.SystemAttrs) { [StaleTrials.FailReasonKey] = reason },
    };

    private void SetStudyAttr(long studyId, bool system, string key, JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(key);
        Write(w =>
        {
            Study(studyId);
            w.SetStudyAttr(studyId, system, key, value);
        });
    }

    private void SetTrialAttr(long trialId, bool system, string key, JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(key);
        Write(w =>
        {
            Trial(trialId);
            w.SetTrialAttr(trialId, system, key, value);
        });
    }

    /// <summary>Writes the line that creates a trial, as <see cref="IStorage.CreateTrial"/> defines it.</summary>
    private static void AddTrial(JournalWriter w, long studyId, FrozenTrial? template, TrialClaim? claim, DateTime now)
    {
        if (template is null)
        {
            Dictionary<string, JsonElement>? attrs = null;
            if (claim is not null)
            {
                attrs = new Dictionary<string, JsonElement>(claim.SystemAttrs);
                if (claim.Heartbeat)
                {
                    attrs[JournalReplay.HeartbeatKey] = Beat(now);
                }
            }

            w.CreateTrial(studyId, now, attrs);
            return;
        }

        var start = template.DatetimeStart ?? (template.State == TrialState.Waiting ? null : now);
        var complete = template.DatetimeComplete ?? (template.State.IsFinished() ? now : null);
        var system = new Dictionary<string, JsonElement>(template.SystemAttrs);
        if (template.State == TrialState.Running && claim is not null)
        {
            foreach (var (k, v) in claim.SystemAttrs)
            {
                system[k] = v;
            }

            if (claim.Heartbeat)
            {
                system[JournalReplay.HeartbeatKey] = Beat(now);
            }
        }

        w.CreateTrial(studyId, template, start, complete, system);
    }

    private static void WriteClaim(JournalWriter w, long trialId, TrialClaim? claim, DateTime now)
    {
        if (claim is null)
        {
            return;
        }

        foreach (var (k, v) in claim.SystemAttrs)
        {
            w.SetTrialAttr(trialId, system: true, k, v);
        }

        if (claim.Heartbeat)
        {
            w.SetTrialAttr(trialId, system: true, JournalReplay.HeartbeatKey, Beat(now));
        }
    }

    private static JsonElement Beat(DateTime now) => AttributeValue.From(JournalReplay.HeartbeatKey, JournalWriter.Time(now));

    private static JournalReplay.TrialRecord? OldestWaiting(JournalReplay.StudyState study)
    {
        while (study.FirstMaybeWaiting < study.Trials.Count && study.Trials[study.FirstMaybeWaiting].State != TrialState.Waiting)
        {
            study.FirstMaybeWaiting++;
        }

        return study.FirstMaybeWaiting < study.Trials.Count ? study.Trials[study.FirstMaybeWaiting] : null;
    }

    /// <summary>
    /// One write: under the file lock, catch up with the journal, let <paramref name="build"/> check the change and write
    /// its lines (or throw, leaving the file untouched), append them with one write and fsync, apply them, and return what
    /// <paramref name="build"/>'s continuation reads from the state that follows.
    /// </summary>
    private void Write(Action<JournalWriter> build, [CallerMemberName] string operation = "") => Write<int>(w =>
    {
        build(w);
        return () => 0;
    }, operation);

    private T Write<T>(Func<JournalWriter, Func<T>> build, [CallerMemberName] string operation = "")
    {
        if (!JournalInstruments.Duration.Enabled)
        {
            return WriteUntimed(build);
        }

        var start = Stopwatch.GetTimestamp();
        try
        {
            return WriteUntimed(build);
        }
        finally
        {
            JournalInstruments.Record(start, operation);
        }
    }

    /// <summary>Runs a read under the process lock after catching up with the file, timed on the <c>hone.storage.duration</c> histogram.</summary>
    private T Read<T>(Func<T> read, [CallerMemberName] string operation = "")
    {
        var start = JournalInstruments.Duration.Enabled ? Stopwatch.GetTimestamp() : 0;
        try
        {
            lock (_gate)
            {
                Sync();
                return read();
            }
        }
        finally
        {
            if (start != 0)
            {
                JournalInstruments.Record(start, operation);
            }
        }
    }

    private T WriteUntimed<T>(Func<JournalWriter, Func<T>> build)
    {
        lock (_gate)
        {
            // Most of what other processes appended is read before the file lock is taken, so that the lock is held for
            // little more than the append and its fsync: a holder busy parsing would stall every writer.
            Sync();
            Func<T> result;
            _file.Lock.Acquire();
            try
            {
                Sync();
                using var writer = new JournalWriter(_workerPrefix + Environment.CurrentManagedThreadId.ToString(CultureInfo.InvariantCulture));
                result = build(writer);
                if (writer.Count > 0)
                {
                    try
                    {
                        _file.Append(_offset, writer.Lines);
                    }
                    catch (IOException e)
                    {
                        throw new StorageException(null, $"Journal {Path}: the write failed and was taken back: {e.Message}", e);
                    }
                }
            }
            finally
            {
                _file.Lock.Release();
            }

            // Our lines are read back like anyone's (ids and numbers follow from their place in the file, fixed when
            // they were appended), together with whatever others appended since.
            Sync();
            return result();
        }
    }

    /// <summary>Applies the complete lines other processes (or this one) appended since the last read.</summary>
    private void Sync()
    {
        try
        {
            _offset = _file.ReadLines(_offset, _replay.Apply);
        }
        catch (IOException e)
        {
            throw new StorageException(null, $"Journal {Path} cannot be read: {e.Message}", e);
        }
    }

    private DateTime Now()
    {
        // Microseconds, as the journal stores them, so that what a write returns equals what a later read returns.
        var t = _time.GetUtcNow().UtcDateTime;
        return new DateTime(t.Ticks - (t.Ticks % 10), DateTimeKind.Utc);
    }

    private JournalReplay.StudyState Study(long studyId) =>
        _replay.FindStudy(studyId) ?? throw new StudyNotFoundException($"No study with id {studyId} in the journal {Path}.");

    private JournalReplay.TrialRecord Trial(long trialId) =>
        _replay.FindTrial(trialId) ?? throw new StudyNotFoundException($"No trial with id {trialId} in the journal {Path}.");

    private JournalReplay.TrialRecord Unfinished(long trialId, string attempted)
    {
        var trial = Trial(trialId);
        return trial.State.IsFinished() ? throw new TrialFinishedException(trial.Number, trial.State, attempted) : trial;
    }
}
