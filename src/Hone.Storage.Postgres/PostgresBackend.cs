using System.Diagnostics;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Hone.Storage.Relational;
using Npgsql;

namespace Hone.Storage.Postgres;

/// <summary>
/// PostgreSQL behind <see cref="RelationalStorage"/>: pooled connections, READ COMMITTED transactions, a row lock
/// on the study for trial numbering, <c>FOR UPDATE SKIP LOCKED</c> for waiting-trial pops and stale-trial checks,
/// native enum columns, and retries of serialization failures and deadlocks.
/// </summary>
internal sealed class PostgresBackend : SqlBackend, IDisposable
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, NpgsqlDataSource> Sources = new(StringComparer.Ordinal);
    private readonly NpgsqlDataSource _source;
    private volatile bool _connected;

    public PostgresBackend(StorageUrl url)
        : base(url)
    {
        // One pool per connection string for the whole process: every Study.Load(url) shares it.
        _source = Sources.GetOrAdd(ConnectionString(url), cs =>
        {
            // A worker cut off mid-transaction (a network partition) would hold its row locks until the server
            // noticed the dead connection, stalling every other worker on the study. Hone's transactions never sit
            // idle for long, so the server may end one that does.
            var builder = new NpgsqlDataSourceBuilder(cs);
            builder.UsePhysicalConnectionInitializer(
                c => InitializeSession(c),
                async c => await InitializeSessionAsync(c).ConfigureAwait(false));
            return builder.Build();
        });
    }

    /// <summary>The server ends a Hone session left idle inside a transaction for 15 s.</summary>
    private const string SessionSettings = "SET idle_in_transaction_session_timeout = 15000";

    private static void InitializeSession(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand(SessionSettings, connection);
        command.ExecuteNonQuery();
    }

    private static async Task InitializeSessionAsync(NpgsqlConnection connection)
    {
        var command = new NpgsqlCommand(SessionSettings, connection);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    /// <summary>How many of its last reads' snapshots a storage remembers for <see cref="ChangesSince"/>.</summary>
    internal const int RememberedSnapshots = 4096;

    private const int SnapshotBits = 20;

    private readonly Dictionary<long, string> _snapshots = [];
    private readonly Queue<long> _snapshotOrder = new();
    private long _reads;

    public override bool Batches => true;

    public override string ForUpdate => " FOR UPDATE";

    public override string ForUpdateSkipLocked => " FOR UPDATE OF t SKIP LOCKED";

    public override string Enum(string parameter, string enumType) => $"CAST({parameter} AS {enumType})";

    public override bool IsUniqueViolation(DbException e) => e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override object Time(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Unspecified);

    public override DateTime ReadTime(DbDataReader reader, int ordinal) => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc);

    public override string TimeAsText(string column) => $"to_char({column}, 'YYYY-MM-DD HH24:MI:SS.US')";

    public override string EnumAsText(string column) => $"{column}::text";

    /// <summary>
    /// Versions as transaction ids (see PostgresSchema.HoneObjects). A read gets the server's snapshot in the same
    /// statement as the trials (<see cref="SnapshotRowSql"/>) and returns as its version that snapshot's oldest running
    /// transaction (xmin) in the high bits and a number of this storage in the low 20, remembering the snapshot under
    /// it. A read from a remembered version returns the trials last written by a transaction that snapshot did not see:
    /// exactly what changed. A version it no longer remembers (another storage object's, or one of more than
    /// <see cref="RememberedSnapshots"/> reads ago) falls back to every trial last written by its xmin or later, a superset.
    /// </summary>
    public override ChangeQuery ChangesSince(Db db, long studyId, long since)
    {
        string? previous;
        lock (_snapshots)
        {
            _snapshots.TryGetValue(since, out previous);
        }

        return previous is null
            ? new ChangeQuery(-1, "v.version >= @m", [("@m", since >> SnapshotBits)])
            : new ChangeQuery(-1, "v.version >= @m AND NOT pg_visible_in_snapshot(v.version::text::xid8, CAST(@p AS pg_snapshot))",
                [("@m", Xmin(previous)), ("@p", previous)]);
    }

    /// <inheritdoc/>
    public override string SnapshotRowSql => "SELECT 9, CAST(0 AS BIGINT), CAST(NULL AS BIGINT), pg_current_snapshot()::text, NULL, NULL, CAST(NULL AS DOUBLE PRECISION)";

    /// <inheritdoc/>
    public override long VersionOf(string snapshot)
    {
        lock (_snapshots)
        {
            var version = (Xmin(snapshot) << SnapshotBits) | (++_reads & ((1L << SnapshotBits) - 1));
            _snapshots[version] = snapshot;
            _snapshotOrder.Enqueue(version);
            while (_snapshotOrder.Count > RememberedSnapshots)
            {
                _snapshots.Remove(_snapshotOrder.Dequeue());
            }

            return version;
        }
    }

    private static long Xmin(string snapshot) => long.Parse(snapshot.AsSpan(0, snapshot.IndexOf(':', StringComparison.Ordinal)), CultureInfo.InvariantCulture);

    public override DateTime Now(Db db) =>
        DateTime.SpecifyKind((DateTime)db.Scalar("SELECT clock_timestamp() AT TIME ZONE 'UTC'")!, DateTimeKind.Utc);

    public override string CutoffSql(string cutoffParameter, string graceParameter) => $"clock_timestamp() AT TIME ZONE 'UTC' - CAST({graceParameter} AS interval)";

    public override string NowSql(string localParameter) => $"COALESCE(clock_timestamp() AT TIME ZONE 'UTC', {localParameter})";

    /// <summary>
    /// How long a transaction keeps trying when the server cannot be reached or drops its connection (a restart, a
    /// fail-over, a network cut, <c>pg_terminate_backend</c>): past this the error is raised.
    /// </summary>
    internal static TimeSpan ReconnectWindow { get; set; } = TimeSpan.FromMinutes(2);

    public override T Run<T>(TransactionKind kind, Func<Db, T> body)
    {
        Stopwatch? outage = null;
        for (var attempt = 0; ; attempt++)
        {
            string? xid = null;
            var committing = false;
            var result = default(T)!;
            try
            {
                using var connection = _source.OpenConnection();
                _connected = true;
                if (kind == TransactionKind.Read)
                {
                    // Under READ COMMITTED every statement sees its own snapshot, in a transaction or not; without
                    // one a read saves the COMMIT round trip.
                    return body(new Db(connection, null, this));
                }

                using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
                var db = new Db(connection, transaction, this);
                if (kind != TransactionKind.Heartbeat)
                {
                    // The transaction's id rides on its first statement: if the connection is lost during COMMIT,
                    // the server can tell afterwards whether it committed, and a write is never applied twice.
                    db.PrependToNext("SELECT pg_current_xact_id()::text", v => xid = v as string);
                }

                result = body(db);
                db.Flush();
                committing = true;
                CountRoundTrip();
                transaction.Commit();
                return result;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected && attempt < 20)
            {
                Thread.Sleep(Random.Shared.Next(5, 20 * (attempt + 1)));
            }
            catch (Exception e) when (IsConnectionLoss(e) && (_connected || attempt == 0) && (outage ??= Stopwatch.StartNew()).Elapsed < ReconnectWindow)
            {
                // The pool's other connections went the same way (a restart drops them all): open new ones.
                _source.Clear();
                if (committing && xid is not null)
                {
                    var committed = CommittedAfterAll(xid, outage);
                    var url = Url.ToString();
                    PostgresLog.CommitOutcome(PostgresLog.Logger, url, xid, committed ? "committed" : "did not commit and is run again");
                    if (committed)
                    {
                        return result;
                    }
                }

                var delay = Backoff(attempt);
                var log = PostgresLog.Logger;
                if (log.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Warning))
                {
                    var url = Url.ToString();
                    PostgresLog.Reconnecting(log, url, e.Message, delay, attempt + 1, outage.Elapsed);
                }

                Thread.Sleep(delay);
            }
            catch (NpgsqlException e)
            {
                throw Wrap(e, Hint(e));
            }
        }
    }

    /// <summary>Whether an error means the connection or the server went away, so that the transaction can be tried again.</summary>
    private static bool IsConnectionLoss(Exception e) => e switch
    {
        // 25P02 and 57014: after a command timed out on a cut network, the connection can come back from the pool
        // still inside the aborted transaction, or its statement cancelled; either way nothing was committed, and
        // the pool is cleared, so the next attempt runs on a new connection.
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exceptions
            || p.SqlState == "25P03" // idle_in_transaction_session_timeout ended the session
            || p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.InFailedSqlTransaction or PostgresErrorCodes.QueryCanceled,
        NpgsqlException n => n.IsTransient || n.InnerException is IOException or SocketException or TimeoutException,
        InvalidOperationException { InnerException: NpgsqlException n } => IsConnectionLoss(n),
        _ => false,
    };

    /// <summary>Exponential backoff with full jitter: 50 ms doubling to a 5 s cap.</summary>
    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Random.Shared.Next(25, (int)Math.Min(5_000, 50 * Math.Pow(2, Math.Min(attempt, 10)))));

    /// <summary>
    /// After the connection was lost during COMMIT: asks the server (once it answers again) whether transaction
    /// <paramref name="xid"/> committed. True when it did; false when it did not (the caller runs it again).
    /// </summary>
    private bool CommittedAfterAll(string xid, Stopwatch outage)
    {
        for (var attempt = 0; outage.Elapsed < ReconnectWindow; attempt++)
        {
            try
            {
                using var connection = _source.OpenConnection();
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT pg_xact_status(CAST(@x AS xid8))";
                command.Parameters.AddWithValue("@x", xid);
                switch (command.ExecuteScalar() as string)
                {
                    case "committed":
                        return true;
                    case "in progress":
                        break; // the old backend is still rolling back or committing
                    default:
                        return false;
                }
            }
            catch (Exception e) when (IsConnectionLoss(e))
            {
                _source.Clear();
            }

            Thread.Sleep(Backoff(attempt));
        }

        throw new StorageException(Url, $"the connection was lost while a transaction committed, and the server did not answer within {ReconnectWindow.TotalSeconds:0} s to say whether it had.");
    }

    public override void EnsureSchema()
    {
        // Opening a current schema reads three things and writes nothing: many workers starting at once must not
        // queue on the creators' lock (they did, one after another, behind each other's write transactions).
        var current = Run(TransactionKind.Read, db =>
        {
            if (db.Scalar($"SELECT to_regclass('studies') IS NOT NULL AND to_regclass('alembic_version') IS NOT NULL AND to_regprocedure('{PostgresSchema.TouchFunction}()') IS NOT NULL") is not true)
            {
                return null;
            }

            return db.Scalar("SELECT version_num FROM alembic_version") as string;
        });
        if (current is not null && HoneTables.KnownRevisions.Contains(current))
        {
            OptunaSchemaOption.CheckExisting(Url, current);
            return;
        }

        CreateOrCheckSchema();
    }

    /// <summary>Creates the schema (or Hone's additions) under an advisory lock, or explains why an existing one cannot be used.</summary>
    private void CreateOrCheckSchema() => Run(TransactionKind.StateChange, db =>
    {
        db.Scalar("SELECT pg_advisory_xact_lock(7264173)"); // one creator at a time
        if (db.Scalar("SELECT current_setting('server_version_num')::int") is int server && server < 130000)
        {
            throw new StorageException(Url, $"the server is PostgreSQL {server / 10000}; Hone needs PostgreSQL 13 or later (transaction ids as change versions).");
        }

        var hasStudies = db.Scalar("SELECT to_regclass('studies')::text") is not null;
        if (!hasStudies)
        {
            var created = OptunaSchemaOption.ForNewDatabase(Url);
            db.Execute(PostgresSchema.OptunaTables);
            if (HoneTables.HasStudyIdIndex(created))
            {
                db.Execute(PostgresSchema.StudyIdIndex);
            }

            db.Execute("INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, @v, @l)",
                ("@v", HoneTables.SchemaVersion), ("@l", HoneTables.LibraryVersion(created)));
            db.Execute("INSERT INTO alembic_version (version_num) VALUES (@r)", ("@r", created));
        }
        else
        {
            var revision = db.Scalar("SELECT to_regclass('alembic_version')::text") is null ? null : db.Scalar("SELECT version_num FROM alembic_version") as string;
            if (revision is null)
            {
                throw new StorageException(Url, "the database has a studies table but no alembic_version; it was not made by Hone or Optuna. Use another database or schema.");
            }

            if (!HoneTables.KnownRevisions.Contains(revision))
            {
                throw new StorageException(Url, HoneTables.UnknownRevision(revision));
            }

            OptunaSchemaOption.CheckExisting(Url, revision);
        }

        if (db.Scalar($"SELECT to_regprocedure('{PostgresSchema.TouchFunction}()')::text") is null)
        {
            db.Execute(PostgresSchema.HoneObjects());
        }

        return 0;
    });

    /// <summary>Nothing to release: the connection pool is shared by every storage on the same server and database.</summary>
    public void Dispose()
    {
    }

    /// <summary>What to check for a connection error.</summary>
    private static string Hint(NpgsqlException e) => e switch
    {
        PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } =>
            "Check the user name and password in the URL.",
        PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } => "The database does not exist: create it (createdb) or fix its name in the URL.",
        PostgresException => "See PostgreSQL's message above.",
        _ when e.InnerException is SocketException or TimeoutException || e.Message.Contains("connect", StringComparison.OrdinalIgnoreCase) =>
            "Check that the server is running and reachable at the host and port in the URL (and that a firewall lets you through).",
        _ => "Check the URL, the server and the network.",
    };

    /// <summary>Turns a postgresql:// URL or a keyword connection string into Npgsql's connection string.</summary>
    internal static string ConnectionString(StorageUrl url)
    {
        // Hone's statements are few and fixed: prepare them on reuse. Hone sets no session state, so a pooled
        // connection needs no reset before its next use. A URL may override all three.
        var b = new NpgsqlConnectionStringBuilder { Timeout = 30, MaxAutoPrepare = 64, AutoPrepareMinUsages = 2, NoResetOnClose = true };
        var text = url.Value;
        try
        {
            if (!text.Contains("://", StringComparison.Ordinal))
            {
                if (text.Contains(';', StringComparison.Ordinal))
                {
                    b.ConnectionString = text; // Npgsql's own form
                    return b.ConnectionString;
                }

                foreach (var pair in text.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
                {
                    var kv = pair.Split('=', 2);
                    if (kv.Length != 2)
                    {
                        throw new StorageException(url, $"\"{pair.Split('=')[0]}\" is not a key=value pair.");
                    }

                    Set(b, url, kv[0], kv[1].Trim('\''));
                }

                return b.ConnectionString;
            }

            var uri = new Uri(text);
            if (!string.IsNullOrEmpty(uri.Host))
            {
                b.Host = uri.Host;
            }

            if (uri.Port > 0)
            {
                b.Port = uri.Port;
            }

            if (uri.UserInfo.Length > 0)
            {
                var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
                b.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
                if (colon >= 0)
                {
                    b.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
                }
            }

            var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
            if (database.Length > 0)
            {
                b.Database = database;
            }

            foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = pair.Split('=', 2);
                Set(b, url, Uri.UnescapeDataString(kv[0]), kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : string.Empty);
            }

            return b.ConnectionString;
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
        {
            throw new StorageException(url, $"is not a valid PostgreSQL URL ({e.Message}). Write postgresql://user:password@host:5432/database.", e);
        }
    }

    private static void Set(NpgsqlConnectionStringBuilder b, StorageUrl url, string key, string value)
    {
        switch (key.ToLowerInvariant())
        {
            case "host": b.Host = value; break;
            case "port": b.Port = int.Parse(value, CultureInfo.InvariantCulture); break;
            case "dbname": b.Database = value; break;
            case "user": b.Username = value; break;
            case "password": b.Password = value; break;
            case "sslmode": b.SslMode = Enum<SslMode>(value.Replace("-", string.Empty, StringComparison.Ordinal)); break;
            case "connect_timeout": b.Timeout = int.Parse(value, CultureInfo.InvariantCulture); break;
            case "application_name": b.ApplicationName = value; break;
            case OptunaSchemaOption.Key: break; // read when the schema is created (OptunaSchemaOption)
            case "options" or "search_path": b.SearchPath = value.Replace("-csearch_path=", string.Empty, StringComparison.Ordinal); break;
            default:
                throw new StorageException(url,
                    $"has the unknown option \"{key}\"; Hone understands host, port, dbname, user, password, sslmode, connect_timeout, application_name, search_path and optuna_schema.");
        }
    }

    private static T Enum<T>(string value)
        where T : struct, System.Enum =>
        System.Enum.TryParse<T>(value, ignoreCase: true, out var result) ? result : throw new FormatException($"\"{value}\" is not a valid {typeof(T).Name}.");
}
