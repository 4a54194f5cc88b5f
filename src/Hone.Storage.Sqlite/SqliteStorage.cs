using Hone.Storage.Relational;

namespace Hone.Storage.Sqlite;

/// <summary>
/// A storage in one SQLite file with Optuna's schema: studies survive the process, many processes on one
/// machine share the file, and Optuna's tools (optuna-dashboard, <c>optuna.load_study</c>) read it as is.
/// </summary>
/// <remarks>
/// <para>WAL journal, a busy timeout, and <c>BEGIN IMMEDIATE</c> for every write. Every commit survives the process
/// being killed at any instant (SQLite's WAL is always consistent). By default a change of a trial's or a study's
/// state (a trial created, started, finished or failed; a study created or deleted) is synced to disk before its
/// commit returns (<c>synchronous=FULL</c>), and that sync also covers every earlier commit; a parameter, an
/// intermediate value or a heartbeat of a running trial, or a trial attribute, commits without a sync
/// (<c>synchronous=NORMAL</c>), so an operating-system crash or power loss can lose only such writes made after
/// the last state change, never a started or finished trial. <c>?synchronous=full</c> syncs every commit; <c>?synchronous=normal</c> none
/// (checkpoints only); <c>off</c> and <c>extra</c> are SQLite's. Keep the file on a local disk: network file
/// systems break SQLite's locking. For many machines use PostgreSQL.</para>
/// <para>Open one with <c>new SqliteStorage("hone.db")</c> or through a URL (<c>sqlite:///hone.db</c>) in
/// <see cref="Studies.StudyOptions.StorageUrl"/>.</para>
/// </remarks>
public sealed class SqliteStorage : RelationalStorage, IDisposable
{
    /// <summary>How long a write waits for another process's write lock before retrying.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Opens (creating if absent) the SQLite database at a file path.</summary>
    /// <exception cref="StorageException">The folder is missing, the file is not a database Hone understands, or it cannot be opened.</exception>
    public SqliteStorage(string path)
        : this(StorageUrl.Parse("sqlite:///" + (path ?? throw new ArgumentNullException(nameof(path)))), path)
    {
    }

    /// <summary>Opens the SQLite database a <c>sqlite:///</c> URL names.</summary>
    /// <exception cref="StorageException">The folder is missing, the file is not a database Hone understands, or it cannot be opened.</exception>
    public SqliteStorage(StorageUrl url)
        : this(url, (url ?? throw new ArgumentNullException(nameof(url))).SqlitePath())
    {
    }

    private SqliteStorage(StorageUrl url, string path)
        : base(Open(url, path))
    {
    }

    /// <summary>The database file's path.</summary>
    public string Path => ((SqliteBackend)Backend).Path;

    /// <summary>SQLite's <c>synchronous</c> level the last write committed at (0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA).</summary>
    internal long LastCommitSynchronous => ((SqliteBackend)Backend).SynchronousSetting();

    /// <summary>Closes the connection.</summary>
    public void Dispose() => ((SqliteBackend)Backend).Dispose();

    /// <summary>Registers the <c>sqlite</c> scheme with <see cref="StorageUrl"/>; runs when this assembly loads.</summary>
#pragma warning disable CA2255 // the provider registers its scheme when its assembly loads; that is the point
    [System.Runtime.CompilerServices.ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => StorageUrl.RegisterProvider("sqlite", url => new SqliteStorage(url));

    private static SqliteBackend Open(StorageUrl url, string path)
    {
        if (!string.Equals(url.Scheme, "sqlite", StringComparison.Ordinal))
        {
            throw new ArgumentException($"SqliteStorage needs a sqlite:/// URL, got {url}.", nameof(url));
        }

        if (string.IsNullOrWhiteSpace(path))
        {
            throw new StorageException(url, "names no database file; write sqlite:///relative/path.db or sqlite:////absolute/path.db.");
        }

        string? synchronous = null;
        var busy = DefaultBusyTimeout;
        var q = url.Value.IndexOf('?', StringComparison.Ordinal);
        foreach (var pair in q < 0 ? [] : url.Value[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
            switch (kv[0].ToLowerInvariant())
            {
                case "synchronous" when value.ToUpperInvariant() is "OFF" or "NORMAL" or "FULL" or "EXTRA":
                    synchronous = value.ToUpperInvariant();
                    break;
                case OptunaSchemaOption.Key:
                    break; // read when the schema is created (OptunaSchemaOption)
                case "timeout" when double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0:
                    busy = TimeSpan.FromSeconds(seconds);
                    break;
                default:
                    throw new StorageException(url,
                        $"unknown or invalid option \"{pair}\"; SQLite URLs take synchronous=normal|full|extra|off, timeout=SECONDS (the busy timeout) and optuna_schema=3.0|3.2 (the Optuna schema revision of a new file).");
            }
        }

        return new SqliteBackend(url, path, busy, synchronous);
    }
}
