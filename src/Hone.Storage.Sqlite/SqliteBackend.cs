using System.Data.Common;
using System.Globalization;
using Hone.Storage.Relational;
using Microsoft.Data.Sqlite;

namespace Hone.Storage.Sqlite;

/// <summary>
/// SQLite behind <see cref="RelationalStorage"/>: one connection per storage object (calls from threads take
/// turns), WAL journal, a busy timeout, and <c>BEGIN IMMEDIATE</c> for every write so that processes sharing the
/// file queue for the write lock instead of failing with "database is locked".
/// </summary>
internal sealed class SqliteBackend : SqlBackend, IDisposable
{
    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly Channel _main;
    private readonly Lock _heartbeatOpen = new();
    private Channel? _heartbeat;
    private bool _disposed;

    /// <param name="url">The storage's URL.</param>
    /// <param name="path">The database file.</param>
    /// <param name="busyTimeout">How long a write waits for another connection's lock.</param>
    /// <param name="synchronous">SQLite's <c>synchronous</c> level for every commit, or null for FULL on state changes and NORMAL otherwise (see <see cref="TransactionKind"/>).</param>
    public SqliteBackend(StorageUrl url, string path, TimeSpan busyTimeout, string? synchronous)
        : base(url)
    {
        Path = path;
        var full = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new StorageException(url, $"the folder \"{folder}\" does not exist. Create it, or fix the path (sqlite:///relative.db is relative to the working directory \"{Environment.CurrentDirectory}\", sqlite:////absolute.db is absolute).");
        }

        if (Directory.Exists(full))
        {
            throw new StorageException(url, $"\"{full}\" is a folder; the URL must name a database file inside it (e.g. sqlite:///{path.TrimEnd('/')}/hone.db).");
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds),
        }.ToString();
        _pragmas = string.Create(CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous ?? "FULL"};");
        _main = Open(full, synchronous);
    }

    public string Path { get; }

    public override string ForUpdate => string.Empty;

    public override string ForUpdateSkipLocked => string.Empty;

    public override string Enum(string parameter, string enumType) => parameter;

    public override bool IsUniqueViolation(DbException e) => e is SqliteException { SqliteErrorCode: 19 };

    public override object Time(DateTime utc) => utc.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public override DateTime ReadTime(DbDataReader reader, int ordinal) => ParseTime(reader.GetString(ordinal));

    public override string TimeAsText(string column) => column;

    public override string EnumAsText(string column) => column;

    public override T Run<T>(TransactionKind kind, Func<Db, T> body) =>
        (kind == TransactionKind.Heartbeat ? HeartbeatChannel() : _main).Run(kind, body, this);

    /// <summary>
    /// The connection heartbeats use, opened at the first beat: a write of the process's own that waits for the
    /// write lock holds the main connection's gate, and a beat queued behind it would let the trial look dead.
    /// </summary>
    private Channel HeartbeatChannel()
    {
        if (Volatile.Read(ref _heartbeat) is { } open)
        {
            return open;
        }

        lock (_heartbeatOpen)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _heartbeat ??= Open(System.IO.Path.GetFullPath(Path), _main.Synchronous);
        }
    }

    private Channel Open(string full, string? synchronous)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = _pragmas;
            pragmas.ExecuteNonQuery();
            return new Channel(connection, synchronous);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new StorageException(Url, $"cannot open the SQLite file \"{full}\": {e.Message} Check that the path is a SQLite database and that this process may read and write it and its folder.", e);
        }
    }

    public override void EnsureSchema() => Run(TransactionKind.StateChange, db =>
    {
        var tables = new HashSet<string>(StringComparer.Ordinal);
        db.Read("SELECT name FROM sqlite_master WHERE type = 'table'", r => tables.Add(r.GetString(0)));
        if (!tables.Contains("studies"))
        {
            if (tables.Count > 0 && !tables.All(t => t.StartsWith("hone_", StringComparison.Ordinal) || t == "alembic_version" || t == "version_info"))
            {
                throw new StorageException(Url,
                    $"the file is a SQLite database with other tables ({string.Join(", ", tables.Order().Take(5))}) and no Optuna schema; use a new file or one made by Hone or Optuna.");
            }

            var created = OptunaSchemaOption.ForNewDatabase(Url);
            db.Execute(SqliteSchema.OptunaTables);
            if (HoneTables.HasStudyIdIndex(created))
            {
                db.Execute(SqliteSchema.StudyIdIndex);
            }

            db.Execute("INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, @v, @l)",
                ("@v", HoneTables.SchemaVersion), ("@l", HoneTables.LibraryVersion(created)));
            db.Execute("INSERT INTO alembic_version (version_num) VALUES (@r)", ("@r", created));
        }
        else
        {
            var revision = tables.Contains("alembic_version") ? db.Scalar("SELECT version_num FROM alembic_version") as string : null;
            if (revision is null)
            {
                throw new StorageException(Url, "the database has a studies table but no alembic_version; it was not made by Hone or Optuna, or is damaged.");
            }

            if (!HoneTables.KnownRevisions.Contains(revision))
            {
                throw new StorageException(Url, HoneTables.UnknownRevision(revision));
            }

            OptunaSchemaOption.CheckExisting(Url, revision);
        }

        if (!tables.Contains("hone_trial_versions"))
        {
            db.Execute(SqliteSchema.HoneObjects());
        }

        return 0;
    });

    /// <summary>SQLite's <c>synchronous</c> setting on the connection now, as SQLite reports it (0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA): the level the last write committed at.</summary>
    internal long SynchronousSetting() => _main.SynchronousSetting();

    /// <summary>Closes the connections; the last connection to the file checkpoints the WAL into it and removes the -wal and -shm files.</summary>
    public void Dispose()
    {
        lock (_heartbeatOpen)
        {
            _disposed = true;
            _heartbeat?.Dispose();
            _main.Dispose();
        }
    }

    /// <summary>One connection, the lock that gives it to one thread at a time, and its prepared statements.</summary>
    private sealed class Channel(SqliteConnection connection, string? synchronous) : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, DbCommand> _statements = new(StringComparer.Ordinal);
        private string _currentSynchronous = synchronous ?? "FULL";
        private bool _closed;

        public string? Synchronous => synchronous;

        public T Run<T>(TransactionKind kind, Func<Db, T> body, SqliteBackend backend)
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_closed, backend);
                if (kind != TransactionKind.Read)
                {
                    SetSynchronous(synchronous ?? (kind == TransactionKind.StateChange ? "FULL" : "NORMAL"));
                }

                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        using var transaction = connection.BeginTransaction(deferred: kind == TransactionKind.Read);
                        var result = body(new Db(connection, transaction, backend, _statements));
                        transaction.Commit();
                        return result;
                    }
                    catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6 && attempt < 20)
                    {
                        // Busy or locked past the busy timeout (rare: the timeout normally absorbs it); back off and retry.
                        Thread.Sleep(10 * (attempt + 1));
                    }
                    catch (SqliteException e) when (e.SqliteErrorCode is 13)
                    {
                        throw backend.Wrap(e, "The disk that holds the database is full: this write was not made, and everything committed before it is intact. Free space there and run again.");
                    }
                    catch (SqliteException e) when (!backend.IsUniqueViolation(e))
                    {
                        throw backend.Wrap(e, "Check that the file is a healthy SQLite database on a local disk (network file systems break SQLite's locking).");
                    }
                    catch (SqliteException e)
                    {
                        throw backend.Wrap(e);
                    }
                }
            }
        }

        /// <summary>
        /// Sets the level the next commit syncs at. In WAL mode a FULL commit syncs the log, and with it every
        /// NORMAL commit before it, so a state change also makes the writes before it durable.
        /// </summary>
        private void SetSynchronous(string level)
        {
            if (string.Equals(level, _currentSynchronous, StringComparison.Ordinal))
            {
                return;
            }

            using var pragma = connection.CreateCommand();
            pragma.CommandText = level switch
            {
                "FULL" => "PRAGMA synchronous = FULL",
                "NORMAL" => "PRAGMA synchronous = NORMAL",
                "EXTRA" => "PRAGMA synchronous = EXTRA",
                _ => "PRAGMA synchronous = OFF",
            };
            pragma.ExecuteNonQuery();
            _currentSynchronous = level;
        }

        public long SynchronousSetting()
        {
            lock (_gate)
            {
                using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA synchronous";
                return (long)pragma.ExecuteScalar()!;
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (_closed)
                {
                    return;
                }

                _closed = true;
                foreach (var command in _statements.Values)
                {
                    command.Dispose();
                }

                _statements.Clear();
                connection.Dispose();
            }
        }
    }
}
