using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Storage.Relational;

/// <summary>
/// A storage in a relational database with Optuna's schema (alembic revision <c>v3.2.0.a</c>), so that
/// Optuna's tools read a Hone study and Hone continues a study Optuna wrote. Base of the SQLite and
/// PostgreSQL storages; not meant to be derived from elsewhere.
/// </summary>
/// <remarks>
/// <para>Every method is one transaction. Finished trials are never changed (the state is checked inside the
/// transaction that would change it); waiting trials are popped with a conditional update, so each goes to
/// exactly one caller.</para>
/// <para>"Trials changed since version V" is answered from side tables Optuna ignores (<c>hone_trial_versions</c>,
/// and on SQLite <c>hone_study_versions</c>), kept by triggers on Optuna's trial tables, so changes made by any
/// client, Optuna included, are seen. On SQLite, where writes are serialized anyway, a study's version counts its
/// writes; on PostgreSQL a trial's version is the id of the transaction that last wrote it, so that writers never
/// queue on one counter row. See docs/storage.md.</para>
/// </remarks>
public abstract class RelationalStorage : IStorage
{
    private readonly ConcurrentDictionary<string, Distribution> _distributions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _loadSql = new(StringComparer.Ordinal);

    private protected RelationalStorage(SqlBackend backend)
    {
        Backend = backend;
        backend.EnsureSchema();
    }

    /// <summary>The storage's URL; its <see cref="StorageUrl.ToString"/> masks the password.</summary>
    public StorageUrl Url => Backend.Url;

    private protected SqlBackend Backend { get; }

    /// <summary>Round trips to the database server so far (statements, batches and commits): for tests and benchmarks.</summary>
    internal long RoundTrips => Backend.RoundTrips;

    /// <summary>Runs one storage operation as a transaction, timed on the <c>hone.storage.duration</c> histogram.</summary>
    private T Run<T>(TransactionKind kind, Func<Db, T> body, [CallerMemberName] string operation = "")
    {
        if (!StorageInstruments.Duration.Enabled)
        {
            return Backend.Run(kind, body);
        }

        var start = Stopwatch.GetTimestamp();
        try
        {
            return Backend.Run(kind, body);
        }
        finally
        {
            StorageInstruments.Duration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds,
                new("storage", Backend.Url.Scheme), new("operation", operation));
        }
    }

    /// <inheritdoc/>
    public long CreateStudy(string name, IReadOnlyList<StudyDirection> directions)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(directions);
        try
        {
            return Run(TransactionKind.StateChange, db =>
            {
                if (db.Scalar("SELECT study_id FROM studies WHERE study_name = @n", ("@n", name)) is not null)
                {
                    throw new DuplicateStudyException(name);
                }

                var id = ToLong(db.Scalar("INSERT INTO studies (study_name) VALUES (@n) RETURNING study_id", ("@n", name)));
                for (var i = 0; i < directions.Count; i++)
                {
                    db.Execute(
                        $"INSERT INTO study_directions (direction, study_id, objective) VALUES ({Backend.Enum("@d", "studydirection")}, @s, @o)",
                        ("@d", directions[i] == StudyDirection.Maximize ? "MAXIMIZE" : "MINIMIZE"), ("@s", id), ("@o", i));
                }

                return id;
            });
        }
        catch (StorageException e) when (e.InnerException is DbException d && Backend.IsUniqueViolation(d))
        {
            throw new DuplicateStudyException(name);
        }
    }

    /// <inheritdoc/>
    public void DeleteStudy(long studyId) => Run(TransactionKind.StateChange, db =>
    {
        RequireStudy(db, studyId, lockRow: true);
        const string OfStudy = "trial_id IN (SELECT trial_id FROM trials WHERE study_id = @s)";
        foreach (var table in (string[])["trial_params", "trial_values", "trial_intermediate_values", "trial_user_attributes",
                     "trial_system_attributes", "trial_heartbeats"])
        {
            db.Execute($"DELETE FROM {table} WHERE {OfStudy}", ("@s", studyId));
        }

        foreach (var table in (string[])["hone_trial_versions", "hone_study_versions", "trials", "study_user_attributes",
                     "study_system_attributes", "study_directions", "studies"])
        {
            db.Execute($"DELETE FROM {table} WHERE study_id = @s", ("@s", studyId));
        }

        return 0;
    });

    /// <inheritdoc/>
    public long? FindStudy(string name) => Run(TransactionKind.Read, db =>
        db.Scalar("SELECT study_id FROM studies WHERE study_name = @n", ("@n", name)) is { } id ? ToLong(id) : (long?)null);

    /// <inheritdoc/>
    public StudyRecord GetStudy(long studyId) => Run(TransactionKind.Read, db =>
    {
        var name = db.Scalar("SELECT study_name FROM studies WHERE study_id = @s", ("@s", studyId)) as string
            ?? throw StudyNotFound(studyId);
        var directions = new List<StudyDirection>();
        db.Read($"SELECT {Backend.EnumAsText("direction")} FROM study_directions WHERE study_id = @s ORDER BY objective",
            r => directions.Add(ParseDirection(r.GetString(0))), ("@s", studyId));
        return new StudyRecord(studyId, name, directions);
    });

    /// <inheritdoc/>
    public IReadOnlyList<StudyRecord> GetAllStudies() => Run(TransactionKind.Read, db =>
    {
        var names = new SortedDictionary<long, string>();
        var directions = new Dictionary<long, List<StudyDirection>>();
        db.Read("SELECT study_id, study_name FROM studies", r => names[r.GetInt64(0)] = r.GetString(1));
        db.Read($"SELECT study_id, {Backend.EnumAsText("direction")} FROM study_directions ORDER BY study_id, objective", r =>
        {
            var id = r.GetInt64(0);
            if (!directions.TryGetValue(id, out var list))
            {
                directions[id] = list = [];
            }

            list.Add(ParseDirection(r.GetString(1)));
        });
        return (IReadOnlyList<StudyRecord>)[.. names.Select(n => new StudyRecord(n.Key, n.Value, directions.GetValueOrDefault(n.Key) ?? []))];
    });

    /// <inheritdoc/>
    public void SetStudyUserAttr(long studyId, string key, JsonElement value) => SetStudyAttr("study_user_attributes", studyId, key, value);

    /// <inheritdoc/>
    public void SetStudySystemAttr(long studyId, string key, JsonElement value) => SetStudyAttr("study_system_attributes", studyId, key, value);

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, JsonElement> GetStudyUserAttrs(long studyId) => GetStudyAttrs("study_user_attributes", studyId);

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, JsonElement> GetStudySystemAttrs(long studyId) => GetStudyAttrs("study_system_attributes", studyId);

    /// <inheritdoc/>
    public FrozenTrial CreateTrial(long studyId, FrozenTrial? template = null, TrialClaim? claim = null)
    {
        var now = SqlBackend.Truncate(TimeProvider.System.GetUtcNow().UtcDateTime);
        return Run(TransactionKind.StateChange, db => CreateTrialIn(db, studyId, template, now, claim));
    }

    /// <inheritdoc/>
    /// <remarks>
    /// On PostgreSQL one batch of two statements and its commit: the study row is locked for numbering, then one
    /// statement pops the oldest waiting trial or, when none waits, inserts the next number, and writes the claim
    /// (system attributes, first heartbeat). Elsewhere as <see cref="PopWaitingTrial"/> and then <see cref="CreateTrial"/>.
    /// </remarks>
    public FrozenTrial StartTrial(long studyId, TrialClaim? claim = null)
    {
        if (!Backend.Batches)
        {
            return PopWaitingTrial(studyId, claim) ?? CreateTrial(studyId, null, claim);
        }

        var now = SqlBackend.Truncate(TimeProvider.System.GetUtcNow().UtcDateTime);
        string[] keys = claim is null ? [] : [.. claim.SystemAttrs.Keys];
        string[] values = claim is null ? [] : [.. keys.Select(k => claim.SystemAttrs[k].GetRawText())];
        return Run(TransactionKind.StateChange, db =>
        {
            var studyExists = false;
            (long Id, int Number, bool Popped)? started = null;
            // The lock is its own statement: the next one's snapshot, taken once it is held, sees every number committed before.
            db.Queue("SELECT study_id FROM studies WHERE study_id = @s FOR UPDATE", _ => studyExists = true, ("@s", studyId));
            db.Read(StartTrialSql, r => started = (r.GetInt64(0), r.GetInt32(1), r.GetBoolean(2)),
                ("@s", studyId), ("@now", Backend.Time(now)), ("@ak", keys), ("@av", values), ("@hb", claim?.Heartbeat == true));
            if (started is not { } t)
            {
                throw studyExists ? new InvalidOperationException($"Study {studyId} exists but no trial could be started in it.") : StudyNotFound(studyId);
            }

            return t.Popped
                ? LoadTrials(db, "t.trial_id = @t", ("@t", t.Id))[0]
                : new FrozenTrial
                {
                    Number = t.Number, TrialId = t.Id, State = TrialState.Running, DatetimeStart = now,
                    SystemAttrs = keys.Length == 0 ? FrozenTrial.NoAttrs : new Dictionary<string, JsonElement>(claim!.SystemAttrs),
                };
        });
    }

    /// <summary>PostgreSQL: pop the oldest waiting trial or create the next one, and write the claim, in one statement.</summary>
    private const string StartTrialSql = """
        WITH popped AS (
          UPDATE trials SET state = 'RUNNING', datetime_start = @now
          WHERE state = 'WAITING' AND trial_id = (SELECT trial_id FROM trials WHERE study_id = @s AND state = 'WAITING' ORDER BY trial_id LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING trial_id, number),
        created AS (
          INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete)
          SELECT (SELECT COALESCE(MAX(number), -1) + 1 FROM trials WHERE study_id = @s), @s, 'RUNNING', @now, NULL
          WHERE NOT EXISTS (SELECT 1 FROM popped) AND EXISTS (SELECT 1 FROM studies WHERE study_id = @s)
          RETURNING trial_id, number),
        started AS (SELECT trial_id, number, true AS popped FROM popped UNION ALL SELECT trial_id, number, false FROM created),
        attrs AS (
          INSERT INTO trial_system_attributes (trial_id, "key", value_json)
          SELECT s.trial_id, a.k, a.v FROM started s, unnest(CAST(@ak AS text[]), CAST(@av AS text[])) AS a(k, v)
          ON CONFLICT (trial_id, "key") DO UPDATE SET value_json = excluded.value_json),
        beat AS (
          INSERT INTO trial_heartbeats (trial_id, heartbeat) SELECT trial_id, clock_timestamp() AT TIME ZONE 'UTC' FROM started WHERE @hb
          ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat)
        SELECT trial_id, CAST(number AS integer), popped FROM started
        """;

    /// <inheritdoc/>
    public FrozenTrial? PopWaitingTrial(long studyId, TrialClaim? claim = null)
    {
        // Most asks find no waiting trial: a read answers that without taking the write lock.
        var anyWaiting = Run(TransactionKind.Read, db =>
        {
            var (waiting, studyExists) = (false, false);
            db.Read(
                "SELECT EXISTS (SELECT 1 FROM trials WHERE study_id = @s AND state = 'WAITING'), EXISTS (SELECT 1 FROM studies WHERE study_id = @s)",
                r => (waiting, studyExists) = (r.GetBoolean(0), r.GetBoolean(1)), ("@s", studyId));
            return studyExists ? waiting : throw StudyNotFound(studyId);
        });
        if (!anyWaiting)
        {
            return null;
        }

        var now = SqlBackend.Truncate(TimeProvider.System.GetUtcNow().UtcDateTime);
        return Run(TransactionKind.StateChange, db =>
        {
            while (true)
            {
                var id = db.Scalar(
                    $"SELECT trial_id FROM trials t WHERE study_id = @s AND state = 'WAITING' ORDER BY trial_id LIMIT 1{Backend.ForUpdateSkipLocked}",
                    ("@s", studyId));
                if (id is null)
                {
                    RequireStudy(db, studyId, lockRow: false);
                    return null;
                }

                var trialId = ToLong(id);
                if (db.Execute(
                        $"UPDATE trials SET state = {Backend.Enum("@st", "trialstate")}, datetime_start = @now WHERE trial_id = @t AND state = 'WAITING'",
                        ("@st", "RUNNING"), ("@now", Backend.Time(now)), ("@t", trialId)) == 1)
                {
                    WriteClaim(db, trialId, claim, now);
                    return LoadTrials(db, "t.trial_id = @t", ("@t", trialId))[0];
                }
            }
        });
    }

    /// <inheritdoc/>
    public void SetTrialParam(long trialId, string name, double internalValue, Distribution distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        var json = DistributionJson.Serialize(distribution);
        Run(TransactionKind.Write, db =>
        {
            if (WriteParam(db, trialId, name, internalValue, json, onlyIfUnfinished: true) == 0)
            {
                ThrowNotWritable(db, trialId, "set a parameter");
            }

            return 0;
        });
    }

    /// <inheritdoc/>
    /// <remarks>On PostgreSQL the parameters go as one batch of statements with its commit.</remarks>
    public void SetTrialParams(long trialId, IReadOnlyList<TrialParam> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count == 0)
        {
            return;
        }

        var jsons = parameters.Select(p => DistributionJson.Serialize(p.Distribution)).ToArray();
        Run(TransactionKind.Write, db =>
        {
            // The first statement locks the trial's row while unfinished, so the others find it as the first did.
            for (var i = 0; i < parameters.Count - 1; i++)
            {
                QueueParam(db, trialId, parameters[i], jsons[i]);
            }

            var last = parameters[^1];
            if (WriteParam(db, trialId, last.Name, last.InternalValue, jsons[^1], onlyIfUnfinished: true) == 0)
            {
                ThrowNotWritable(db, trialId, "set a parameter");
            }

            return 0;
        });
    }

    /// <inheritdoc/>
    public void SetTrialStateValues(long trialId, TrialState state, IReadOnlyList<double>? values,
        IReadOnlyDictionary<string, JsonElement>? systemAttrs = null, FrozenTrial? retry = null) =>
        SetTrialStateValues(trialId, state, values, systemAttrs, retry, []);

    /// <inheritdoc/>
    /// <remarks>
    /// Every write is conditional on the trial being unfinished, and the state change comes last: on PostgreSQL all of
    /// them go as one batch of statements with its commit, and a trial found finished makes the transaction roll back.
    /// </remarks>
    public void SetTrialStateValues(long trialId, TrialState state, IReadOnlyList<double>? values,
        IReadOnlyDictionary<string, JsonElement>? systemAttrs, FrozenTrial? retry, IReadOnlyList<TrialParam> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var now = SqlBackend.Truncate(TimeProvider.System.GetUtcNow().UtcDateTime);
        var jsons = parameters.Select(p => DistributionJson.Serialize(p.Distribution)).ToArray();
        Run(TransactionKind.StateChange, db =>
        {
            if (state == TrialState.Waiting)
            {
                var (number, _) = RequireUnfinished(db, trialId, "change its state");
                throw new InvalidOperationException($"Trial #{number} cannot be moved back to Waiting.");
            }

            for (var i = 0; i < parameters.Count; i++)
            {
                QueueParam(db, trialId, parameters[i], jsons[i]);
            }

            if (values is null)
            {
                db.Queue($"DELETE FROM trial_values WHERE trial_id = @t AND EXISTS (SELECT 1 {IfUnfinished})", null, ("@t", trialId));
            }

            QueueValues(db, trialId, values);
            foreach (var (k, v) in systemAttrs ?? FrozenTrial.NoAttrs)
            {
                db.Queue(
                    $"INSERT INTO trial_system_attributes (trial_id, \"key\", value_json) SELECT @t, @k, @v {IfUnfinished} " +
                    "ON CONFLICT (trial_id, \"key\") DO UPDATE SET value_json = excluded.value_json",
                    null, ("@t", trialId), ("@k", k), ("@v", v.GetRawText()));
            }

            // Last, and matching only an unfinished trial: when it changes nothing, nothing above wrote either, and the throw rolls back.
            var startSql = state == TrialState.Running ? ", datetime_start = CASE WHEN state = 'WAITING' THEN @now ELSE datetime_start END" : string.Empty;
            var completeSql = state.IsFinished() ? ", datetime_complete = @now" : string.Empty;
            if (db.Execute(
                    $"UPDATE trials SET state = {Backend.Enum("@st", "trialstate")}{startSql}{completeSql} WHERE trial_id = @t AND state IN ('RUNNING', 'WAITING')",
                    ("@st", StateName(state)), ("@now", Backend.Time(now)), ("@t", trialId)) == 0)
            {
                ThrowNotWritable(db, trialId, "change its state");
            }

            if (retry is not null)
            {
                var studyId = ToLong(db.Scalar("SELECT study_id FROM trials WHERE trial_id = @t", ("@t", trialId)));
                CreateTrialIn(db, studyId, retry, now, claim: null);
            }

            return 0;
        });
    }

    /// <inheritdoc/>
    public void SetTrialIntermediateValue(long trialId, int step, double value) => Run(TransactionKind.Write, db =>
    {
        if (WriteIntermediate(db, trialId, step, value, onlyIfUnfinished: true) == 0)
        {
            ThrowNotWritable(db, trialId, "report an intermediate value");
        }

        return 0;
    });

    /// <inheritdoc/>
    public void SetTrialUserAttr(long trialId, string key, JsonElement value) => SetTrialAttr("trial_user_attributes", trialId, key, value);

    /// <inheritdoc/>
    public void SetTrialSystemAttr(long trialId, string key, JsonElement value) => SetTrialAttr("trial_system_attributes", trialId, key, value);

    /// <inheritdoc/>
    public FrozenTrial GetTrial(long trialId) => Run(TransactionKind.Read, db =>
    {
        var trials = LoadTrials(db, "t.trial_id = @t", ("@t", trialId));
        return trials.Count == 1 ? trials[0] : throw TrialNotFound(trialId);
    });

    /// <inheritdoc/>
    public TrialChanges GetTrialsChangedSince(long studyId, long sinceVersion) => Run(TransactionKind.Read, db =>
    {
        // A version read before the rows (a counter) is at most as new as they are, so nothing is missed; a snapshot
        // read with them (PostgreSQL) is exactly theirs.
        var query = Backend.ChangesSince(db, studyId, sinceVersion);
        if (query.Version == 0 || sinceVersion <= 0)
        {
            RequireStudy(db, studyId, lockRow: false);
        }

        if (sinceVersion > 0 && query.Condition is null)
        {
            return new TrialChanges([], query.Version);
        }

        var snapshotRow = query.Version < 0 ? Backend.SnapshotRowSql : null;
        string? snapshot = null;
        var trials = sinceVersion <= 0
            ? LoadTrials(db, "t.study_id = @s", string.Empty, snapshotRow, s => snapshot = s, [("@s", studyId)])
            : LoadTrials(db, "v.study_id = @s AND " + query.Condition, " JOIN hone_trial_versions v ON v.trial_id = t.trial_id", snapshotRow,
                s => snapshot = s, [("@s", studyId), .. query.Parameters]);
        return new TrialChanges(trials, snapshotRow is null ? query.Version : Backend.VersionOf(snapshot!));
    });

    /// <inheritdoc/>
    public IReadOnlyList<FrozenTrial> GetAllTrials(long studyId) => Run(TransactionKind.Read, db =>
    {
        RequireStudy(db, studyId, lockRow: false);
        return (IReadOnlyList<FrozenTrial>)LoadTrials(db, "t.study_id = @s", ("@s", studyId));
    });

    /// <inheritdoc/>
    public bool RecordHeartbeat(long trialId) => Run(TransactionKind.Heartbeat, db =>
    {
        // Only a Running trial beats: the same statement that writes the beat tells the worker its trial was finished elsewhere.
        if (WriteHeartbeat(db, trialId, SqlBackend.Truncate(TimeProvider.System.GetUtcNow().UtcDateTime), onlyIfRunning: true) == 1)
        {
            return true;
        }

        if (db.Scalar("SELECT trial_id FROM trials WHERE trial_id = @t", ("@t", trialId)) is null)
        {
            throw TrialNotFound(trialId);
        }

        return false;
    });

    /// <inheritdoc/>
    public IReadOnlyList<FrozenTrial> FailStaleTrials(long studyId, TimeSpan gracePeriod, Func<FrozenTrial, FrozenTrial?>? retry = null,
        Func<FrozenTrial, bool?>? isOwnerAlive = null)
    {
        var stale = "FROM trials t JOIN trial_heartbeats h ON h.trial_id = t.trial_id WHERE t.study_id = @s AND t.state = 'RUNNING' AND h.heartbeat < " +
            Backend.CutoffSql("@cutoff", "@grace");

        // A read first: most calls find nothing and need no write lock. On PostgreSQL the server's clock sets the cutoff,
        // and both statements go in one round trip.
        var candidates = Run(TransactionKind.Read, db =>
        {
            (string, object?) cutoff = Backend.Batches ? ("@grace", gracePeriod) : ("@cutoff", Backend.Time(Backend.Now(db) - gracePeriod));
            var found = new List<(long Id, bool Dead)>();
            if (isOwnerAlive is null)
            {
                db.Read($"SELECT t.trial_id {stale}", r => found.Add((r.GetInt64(0), false)), ("@s", studyId), cutoff);
                return found;
            }

            var staleIds = new HashSet<long>();
            db.Queue($"SELECT t.trial_id {stale}", r => staleIds.Add(r.GetInt64(0)), ("@s", studyId), cutoff);
            foreach (var trial in LoadTrials(db, "t.study_id = @s AND t.state = 'RUNNING'", ("@s", studyId)))
            {
                var alive = isOwnerAlive(trial);
                if (alive == false || (alive is null && staleIds.Contains(trial.TrialId)))
                {
                    found.Add((trial.TrialId, alive == false));
                }
            }

            return found;
        });
        if (candidates.Count == 0)
        {
            return [];
        }

        return Run(TransactionKind.StateChange, db =>
        {
            var now = SqlBackend.Truncate(Backend.Now(db));
            var failed = new List<FrozenTrial>();
            foreach (var (id, dead) in candidates)
            {
                // Checked again inside the write: the trial may have finished, or beaten, since the read.
                DateTime? beat = null;
                db.Read(
                    $"SELECT h.heartbeat FROM trials t LEFT JOIN trial_heartbeats h ON h.trial_id = t.trial_id WHERE t.trial_id = @t AND t.state = 'RUNNING'{Backend.ForUpdateSkipLocked}",
                    r => beat = r.IsDBNull(0) ? DateTime.MinValue : Backend.ReadTime(r, 0), ("@t", id));
                if (beat is not { } last || (!dead && (last == DateTime.MinValue || last >= now - gracePeriod)))
                {
                    continue;
                }

                if (db.Execute(
                        $"UPDATE trials SET state = {Backend.Enum("@st", "trialstate")}, datetime_complete = @now WHERE trial_id = @t AND state = 'RUNNING'",
                        ("@st", "FAIL"), ("@now", Backend.Time(now)), ("@t", id)) != 1)
                {
                    continue;
                }

                WriteAttr(db, "trial_system_attributes", id, StaleTrials.FailReasonKey,
                    dead ? StaleTrials.OwnerGoneReason() : StaleTrials.FailReason(now - last));
                var trial = LoadTrials(db, "t.trial_id = @t", ("@t", id))[0];
                failed.Add(trial);
                if (retry?.Invoke(trial) is { } template)
                {
                    CreateTrialIn(db, studyId, template, now, claim: null);
                }
            }

            return failed;
        });
    }

    private FrozenTrial CreateTrialIn(Db db, long studyId, FrozenTrial? template, DateTime now, TrialClaim? claim)
    {
        RequireStudy(db, studyId, lockRow: true);
        var state = template?.State ?? TrialState.Running;
        var start = template is null ? now : template.DatetimeStart is { } s ? SqlBackend.Truncate(s) : (state == TrialState.Waiting ? (DateTime?)null : now);
        var complete = template?.DatetimeComplete is { } c ? SqlBackend.Truncate(c) : (state.IsFinished() ? now : (DateTime?)null);
        var (id, number) = (0L, 0);
        db.Read(
            "INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) " +
            $"SELECT COALESCE(MAX(number), -1) + 1, @s, {Backend.Enum("@st", "trialstate")}, @ds, @dc FROM trials WHERE study_id = @s " +
            "RETURNING trial_id, number",
            r => (id, number) = (r.GetInt64(0), r.GetInt32(1)),
            ("@s", studyId), ("@st", StateName(state)),
            ("@ds", start is { } ds ? Backend.Time(ds) : null), ("@dc", complete is { } dc ? Backend.Time(dc) : null));
        if (state == TrialState.Running)
        {
            WriteClaim(db, id, claim, now);
        }

        if (template is null)
        {
            return claim is null
                ? new FrozenTrial { Number = number, TrialId = id, State = state, DatetimeStart = start }
                : LoadTrials(db, "t.trial_id = @t", ("@t", id))[0];
        }

        foreach (var (name, x) in template.InternalParams)
        {
            WriteParam(db, id, name, x, DistributionJson.Serialize(template.Distributions[name]), onlyIfUnfinished: false);
        }

        WriteValues(db, id, template.Values);
        foreach (var (step, v) in template.IntermediateValues)
        {
            WriteIntermediate(db, id, step, v, onlyIfUnfinished: false);
        }

        foreach (var (k, v) in template.UserAttrs)
        {
            WriteAttr(db, "trial_user_attributes", id, k, v);
        }

        foreach (var (k, v) in template.SystemAttrs)
        {
            WriteAttr(db, "trial_system_attributes", id, k, v);
        }

        return LoadTrials(db, "t.trial_id = @t", ("@t", id))[0];
    }

    /// <summary>Writes a worker's claim on a trial it just made Running: its attributes and first heartbeat.</summary>
    private void WriteClaim(Db db, long trialId, TrialClaim? claim, DateTime now)
    {
        if (claim is null)
        {
            return;
        }

        foreach (var (k, v) in claim.SystemAttrs)
        {
            WriteAttr(db, "trial_system_attributes", trialId, k, v);
        }

        if (claim.Heartbeat)
        {
            WriteHeartbeat(db, trialId, now, onlyIfRunning: false);
        }
    }

    /// <summary>Upserts a trial's heartbeat (the database's clock where it has one); with <paramref name="onlyIfRunning"/> only while it is Running.</summary>
    private int WriteHeartbeat(Db db, long trialId, DateTime localNow, bool onlyIfRunning) =>
        db.Execute(
            "INSERT INTO trial_heartbeats (trial_id, heartbeat) " +
            (onlyIfRunning
                ? $"SELECT @t, {Backend.NowSql("@now")} FROM trials WHERE trial_id = @t AND state = 'RUNNING' "
                : $"VALUES (@t, {Backend.NowSql("@now")}) ") +
            "ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat",
            ("@t", trialId), ("@now", Backend.Time(localNow)));

    /// <summary>Queues a parameter's upsert, conditional on the trial being unfinished.</summary>
    private void QueueParam(Db db, long trialId, TrialParam p, string distributionJson) =>
        db.Queue(
            $"INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) SELECT @t, @n, @v, @d {IfUnfinished} " +
            "ON CONFLICT (trial_id, param_name) DO UPDATE SET param_value = excluded.param_value, distribution_json = excluded.distribution_json",
            null, ("@t", trialId), ("@n", p.Name), ("@v", p.InternalValue), ("@d", distributionJson));

    /// <summary>Queues the upserts of a trial's values, conditional on the trial being unfinished.</summary>
    private void QueueValues(Db db, long trialId, IReadOnlyList<double>? values)
    {
        if (values is null)
        {
            return;
        }

        for (var i = 0; i < values.Count; i++)
        {
            var (value, type) = StoredValue(values, i);
            db.Queue(
                $"INSERT INTO trial_values (trial_id, objective, value, value_type) SELECT @t, @o, @v, {Backend.Enum("@ty", "trialvaluetype")} {IfUnfinished} " +
                "ON CONFLICT (trial_id, objective) DO UPDATE SET value = excluded.value, value_type = excluded.value_type",
                null, ("@t", trialId), ("@o", i), ("@v", value), ("@ty", type));
        }
    }

    /// <summary>Objective value <paramref name="i"/> as Optuna's schema stores it: the finite value or null, and its value_type.</summary>
    private static (double? Value, string Type) StoredValue(IReadOnlyList<double> values, int i)
    {
        var v = values[i];
        if (double.IsNaN(v))
        {
            throw new ArgumentException($"Objective value #{i} is NaN; Optuna's schema stores no NaN objective values (the trial should be Fail).", nameof(values));
        }

        return (double.IsFinite(v) ? v : null, double.IsPositiveInfinity(v) ? "INF_POS" : double.IsNegativeInfinity(v) ? "INF_NEG" : "FINITE");
    }

    private void WriteValues(Db db, long trialId, IReadOnlyList<double>? values)
    {
        if (values is null)
        {
            return;
        }

        for (var i = 0; i < values.Count; i++)
        {
            var (value, type) = StoredValue(values, i);
            db.Execute(
                $"INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (@t, @o, @v, {Backend.Enum("@ty", "trialvaluetype")}) " +
                "ON CONFLICT (trial_id, objective) DO UPDATE SET value = excluded.value, value_type = excluded.value_type",
                ("@t", trialId), ("@o", i), ("@v", value), ("@ty", type));
        }
    }

    /// <summary>Upserts a parameter; with <paramref name="onlyIfUnfinished"/> only while the trial is unfinished. Returns the rows written.</summary>
    private int WriteParam(Db db, long trialId, string name, double internalValue, string distributionJson, bool onlyIfUnfinished) =>
        db.Execute(
            "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) " +
            (onlyIfUnfinished ? $"SELECT @t, @n, @v, @d {IfUnfinished} " : "VALUES (@t, @n, @v, @d) ") +
            "ON CONFLICT (trial_id, param_name) DO UPDATE SET param_value = excluded.param_value, distribution_json = excluded.distribution_json",
            ("@t", trialId), ("@n", name), ("@v", internalValue), ("@d", distributionJson));

    /// <summary>Upserts an intermediate value; with <paramref name="onlyIfUnfinished"/> only while the trial is unfinished. Returns the rows written.</summary>
    private int WriteIntermediate(Db db, long trialId, int step, double value, bool onlyIfUnfinished)
    {
        var type = double.IsNaN(value) ? "NAN" : double.IsPositiveInfinity(value) ? "INF_POS" : double.IsNegativeInfinity(value) ? "INF_NEG" : "FINITE";
        var row = $"@t, @st, @v, {Backend.Enum("@ty", "trialintermediatevaluetype")}";
        return db.Execute(
            "INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) " +
            (onlyIfUnfinished ? $"SELECT {row} {IfUnfinished} " : $"VALUES ({row}) ") +
            "ON CONFLICT (trial_id, step) DO UPDATE SET intermediate_value = excluded.intermediate_value, intermediate_value_type = excluded.intermediate_value_type",
            ("@t", trialId), ("@st", step), ("@v", double.IsFinite(value) ? value : null), ("@ty", type));
    }

    private static void WriteAttr(Db db, string table, long trialId, string key, JsonElement value) =>
        db.Execute(
            $"INSERT INTO {table} (trial_id, \"key\", value_json) VALUES (@t, @k, @v) ON CONFLICT (trial_id, \"key\") DO UPDATE SET value_json = excluded.value_json",
            ("@t", trialId), ("@k", key), ("@v", value.GetRawText()));

    private void SetTrialAttr(string table, long trialId, string key, JsonElement value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        Run(TransactionKind.Write, db =>
        {
            if (db.Scalar($"SELECT trial_id FROM trials WHERE trial_id = @t{Backend.ForUpdate}", ("@t", trialId)) is null)
            {
                throw TrialNotFound(trialId);
            }

            WriteAttr(db, table, trialId, key, value);
            return 0;
        });
    }

    private void SetStudyAttr(string table, long studyId, string key, JsonElement value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        Run(TransactionKind.StateChange, db =>
        {
            RequireStudy(db, studyId, lockRow: false);
            db.Execute(
                $"INSERT INTO {table} (study_id, \"key\", value_json) VALUES (@s, @k, @v) ON CONFLICT (study_id, \"key\") DO UPDATE SET value_json = excluded.value_json",
                ("@s", studyId), ("@k", key), ("@v", value.GetRawText()));
            return 0;
        });
    }

    private Dictionary<string, JsonElement> GetStudyAttrs(string table, long studyId) => Run(TransactionKind.Read, db =>
    {
        RequireStudy(db, studyId, lockRow: false);
        var attrs = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        db.Read($"SELECT \"key\", value_json FROM {table} WHERE study_id = @s",
            r => attrs[r.GetString(0)] = AttributeValue.Parse(r.GetString(1)), ("@s", studyId));
        return attrs;
    });

    private void RequireStudy(Db db, long studyId, bool lockRow)
    {
        if (db.Scalar($"SELECT study_id FROM studies WHERE study_id = @s{(lockRow ? Backend.ForUpdate : string.Empty)}", ("@s", studyId)) is null)
        {
            throw StudyNotFound(studyId);
        }
    }

    private StudyNotFoundException StudyNotFound(long studyId) => new($"No study with id {studyId} in {Url}.");

    private StudyNotFoundException TrialNotFound(long trialId) => new($"No trial with id {trialId} in {Url}.");

    /// <summary>
    /// The end of an INSERT ... SELECT that writes to trial <c>@t</c> only while it is unfinished, locking its row
    /// (the WHERE also settles SQLite's parse of a SELECT followed by ON CONFLICT).
    /// </summary>
    private string IfUnfinished => $"FROM trials WHERE trial_id = @t AND state IN ('RUNNING', 'WAITING'){Backend.ForUpdate}";

    /// <summary>Throws why a write guarded by <see cref="IfUnfinished"/> matched no trial: none with that id, or a finished one.</summary>
    private void ThrowNotWritable(Db db, long trialId, string attempted)
    {
        RequireUnfinished(db, trialId, attempted);
        throw new InvalidOperationException($"Trial id {trialId} could not be written to {attempted}, though it exists unfinished.");
    }

    /// <summary>Locks a trial's row and checks that it may still change; returns its number and state.</summary>
    private (int Number, TrialState State) RequireUnfinished(Db db, long trialId, string attempted)
    {
        int? number = null;
        var state = TrialState.Running;
        db.Read($"SELECT number, {Backend.EnumAsText("state")} FROM trials WHERE trial_id = @t{Backend.ForUpdate}", r =>
        {
            number = r.GetInt32(0);
            state = ParseState(r.GetString(1));
        }, ("@t", trialId));
        if (number is not { } n)
        {
            throw TrialNotFound(trialId);
        }

        return state.IsFinished() ? throw new TrialFinishedException(n, state, attempted) : (n, state);
    }

    /// <summary>
    /// Reads every trial matching <paramref name="filter"/> (SQL over <c>trials t</c>), ordered by number, in one
    /// statement: the trial rows and their children as one UNION ALL, told apart by the first column.
    /// </summary>
    private List<FrozenTrial> LoadTrials(Db db, string filter, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        LoadTrials(db, filter, string.Empty, null, null, parameters);

    /// <summary>
    /// As above, with <paramref name="join"/> joined to <c>trials t</c> for the filter to use, and with
    /// <paramref name="snapshotRow"/> (a row of kind 9 whose fourth column is text) in the same statement, handed to
    /// <paramref name="onSnapshot"/>.
    /// </summary>
    private List<FrozenTrial> LoadTrials(
        Db db, string filter, string join, string? snapshotRow, Action<string>? onSnapshot, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var builders = new Dictionary<long, TrialBuilder>();
        db.Read(LoadSql(filter, join, snapshotRow), r =>
        {
            if (r.GetInt32(0) == 9)
            {
                onSnapshot?.Invoke(r.GetString(3));
                return;
            }

            var id = r.GetInt64(1);
            if (!builders.TryGetValue(id, out var b))
            {
                builders[id] = b = new TrialBuilder { TrialId = id };
            }

            switch (r.GetInt32(0))
            {
                case 0:
                    b.Found = true;
                    b.Number = r.IsDBNull(2) ? 0 : (int)r.GetInt64(2);
                    b.State = ParseState(r.GetString(3));
                    b.Start = r.IsDBNull(4) ? null : SqlBackend.ParseTime(r.GetString(4));
                    b.Complete = r.IsDBNull(5) ? null : SqlBackend.ParseTime(r.GetString(5));
                    break;
                case 1:
                    var name = r.GetString(3);
                    (b.Params ??= [])[name] = r.GetDouble(6);
                    (b.Distributions ??= [])[name] = ParseDistribution(r.GetString(4));
                    break;
                case 2:
                    (b.Values ??= []).Add(((int)r.GetInt64(2), ReadValue(r, 6, r.GetString(3))));
                    break;
                case 3:
                    (b.Intermediate ??= [])[(int)r.GetInt64(2)] = ReadValue(r, 6, r.GetString(3));
                    break;
                case 4:
                    (b.UserAttrs ??= [])[r.GetString(3)] = AttributeValue.Parse(r.GetString(4));
                    break;
                default:
                    (b.SystemAttrs ??= [])[r.GetString(3)] = AttributeValue.Parse(r.GetString(4));
                    break;
            }
        }, parameters);
        var trials = new List<FrozenTrial>(builders.Count);
        foreach (var b in builders.Values)
        {
            if (b.Found)
            {
                trials.Add(b.Build());
            }
        }

        trials.Sort((x, y) => x.Number != y.Number ? x.Number.CompareTo(y.Number) : x.TrialId.CompareTo(y.TrialId));
        return trials;
    }

    // Children join the trial rows rather than test "trial_id IN (SELECT ...)": SQLite would build a temporary
    // index for each IN, and the allocation and release of its page cache cost more than the query.
    private string LoadSql(string filter, string join, string? snapshotRow) => _loadSql.GetOrAdd(filter + "|" + join + "|" + snapshotRow, _ =>
    {
        var of = $"JOIN trials t ON t.trial_id = c.trial_id{join} WHERE {filter}";
        return
            $"SELECT 0, t.trial_id, CAST(t.number AS BIGINT), {Backend.EnumAsText("t.state")}, {Backend.TimeAsText("t.datetime_start")}, " +
            $"{Backend.TimeAsText("t.datetime_complete")}, CAST(NULL AS DOUBLE PRECISION) FROM trials t{join} WHERE {filter} " +
            $"UNION ALL SELECT 1, c.trial_id, NULL, c.param_name, c.distribution_json, NULL, c.param_value FROM trial_params c {of} " +
            $"UNION ALL SELECT 2, c.trial_id, c.objective, {Backend.EnumAsText("c.value_type")}, NULL, NULL, c.value FROM trial_values c {of} " +
            $"UNION ALL SELECT 3, c.trial_id, c.step, {Backend.EnumAsText("c.intermediate_value_type")}, NULL, NULL, c.intermediate_value FROM trial_intermediate_values c {of} " +
            $"UNION ALL SELECT 4, c.trial_id, NULL, c.\"key\", c.value_json, NULL, NULL FROM trial_user_attributes c {of} " +
            $"UNION ALL SELECT 5, c.trial_id, NULL, c.\"key\", c.value_json, NULL, NULL FROM trial_system_attributes c {of}" +
            (snapshotRow is null ? string.Empty : " UNION ALL " + snapshotRow);
    });

    private Distribution ParseDistribution(string json) =>
        _distributions.TryGetValue(json, out var d) ? d : _distributions.GetOrAdd(json, DistributionJson.Deserialize(json));

    private static double ReadValue(DbDataReader r, int ordinal, string type) => type switch
    {
        "INF_POS" => double.PositiveInfinity,
        "INF_NEG" => double.NegativeInfinity,
        "NAN" => double.NaN,
        _ => r.IsDBNull(ordinal) ? double.NaN : r.GetDouble(ordinal),
    };

    private static long ToLong(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private static StudyDirection ParseDirection(string text) => text == "MAXIMIZE" ? StudyDirection.Maximize : StudyDirection.Minimize;

    internal static string StateName(TrialState state) => state switch
    {
        TrialState.Running => "RUNNING",
        TrialState.Complete => "COMPLETE",
        TrialState.Pruned => "PRUNED",
        TrialState.Fail => "FAIL",
        TrialState.Waiting => "WAITING",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown trial state."),
    };

    private static TrialState ParseState(string text) => text switch
    {
        "RUNNING" => TrialState.Running,
        "COMPLETE" => TrialState.Complete,
        "PRUNED" => TrialState.Pruned,
        "FAIL" => TrialState.Fail,
        "WAITING" => TrialState.Waiting,
        _ => throw new FormatException($"Unknown trial state \"{text}\" in the database."),
    };

    private sealed class TrialBuilder
    {
        public long TrialId { get; init; }

        public bool Found { get; set; }

        public int Number { get; set; }

        public TrialState State { get; set; }

        public DateTime? Start { get; set; }

        public DateTime? Complete { get; set; }

        public Dictionary<string, double>? Params { get; set; }

        public Dictionary<string, Distribution>? Distributions { get; set; }

        public List<(int Objective, double Value)>? Values { get; set; }

        public Dictionary<int, double>? Intermediate { get; set; }

        public Dictionary<string, JsonElement>? UserAttrs { get; set; }

        public Dictionary<string, JsonElement>? SystemAttrs { get; set; }

        public FrozenTrial Build() => new()
        {
            TrialId = TrialId,
            Number = Number,
            State = State,
            DatetimeStart = Start,
            DatetimeComplete = Complete,
            Values = Values is null ? null : [.. Values.OrderBy(v => v.Objective).Select(v => v.Value)],
            InternalParams = Params ?? FrozenTrial.NoParams,
            Distributions = Distributions ?? FrozenTrial.NoDistributions,
            IntermediateValues = Intermediate ?? FrozenTrial.NoIntermediate,
            UserAttrs = UserAttrs ?? FrozenTrial.NoAttrs,
            SystemAttrs = SystemAttrs ?? FrozenTrial.NoAttrs,
        };
    }
}
