using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Hone.Storage.Tests;

namespace Hone.Storage.Postgres.Tests.FaultInjection;

/// <summary>
/// A PostgreSQL server of the test's own (initdb in a temporary folder, its own port), so a test can restart it,
/// stop it or kill its connections without disturbing the shared server other tests use at the same time.
/// Needs Debian's postgresql binaries and either root (the server runs as the <c>postgres</c> user) or a non-root user.
/// </summary>
internal sealed class PrivatePostgres : IDisposable
{
    private readonly string _bin;
    private readonly string _dataDir;
    private readonly bool _asPostgresUser;

    private PrivatePostgres(string bin, string dataDir, int port, bool asPostgresUser)
    {
        _bin = bin;
        _dataDir = dataDir;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>The port it listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>A storage URL for its <c>postgres</c> database (trust authentication).</summary>
    public string Url(string host = "127.0.0.1") => $"postgresql://hone@{host}:{Port}/postgres";

    /// <summary>Why a private server cannot be made here, or null.</summary>
    public static string? WhyMissing => Missing.Value;

    private static readonly Lazy<string?> Missing = new(() =>
        FindBin() is null ? "PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql; apt-get install postgresql" : null);

    /// <summary>Creates, starts and returns a new server.</summary>
    public static PrivatePostgres Start(string listen = "127.0.0.1")
    {
        var bin = FindBin() ?? throw new InvalidOperationException(WhyMissing);
        var asPostgres = Environment.UserName == "root";
        var dataDir = Path.Combine(Path.GetTempPath(), $"hone-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDir);
        if (asPostgres)
        {
            Run("chown", ["postgres:postgres", dataDir]);
        }

        var server = new PrivatePostgres(bin, dataDir, FreePort(), asPostgres);
        server.Pg("initdb", ["-D", dataDir, "-U", "hone", "-A", "trust", "--no-sync", "-E", "UTF8"]);
        File.AppendAllText(Path.Combine(dataDir, "postgresql.conf"),
            $"\nport = {server.Port}\nlisten_addresses = '{listen}'\nunix_socket_directories = '{dataDir}'\nfsync = off\nmax_connections = 100\n");
        File.AppendAllText(Path.Combine(dataDir, "pg_hba.conf"), "\nhost all all 127.0.0.0/8 trust\n");
        server.Control("start");
        return server;
    }

    /// <summary>Restarts the server (fast shutdown: open connections are closed).</summary>
    public void Restart() => Control("restart", "-m", "fast");

    /// <summary>Stops the server (fast shutdown).</summary>
    public void Stop() => Control("stop", "-m", "fast");

    /// <summary>Starts a stopped server.</summary>
    public void StartAgain() => Control("start");

    /// <summary>Runs one SQL statement as the superuser and returns its first column as text.</summary>
    public string Sql(string sql)
    {
        var (code, output, error) = External.Run(Path.Combine(_bin, "psql"),
            ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "hone", "-d", "postgres", "-tAqc", sql], TimeSpan.FromSeconds(60));
        return code == 0 ? output.Trim() : throw new InvalidOperationException($"psql failed ({code}): {error}");
    }

    public void Dispose()
    {
        try
        {
            Control("stop", "-m", "immediate");
        }
        catch (InvalidOperationException)
        {
            // already stopped
        }

        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Control(string action, params string[] extra) =>
        Pg("pg_ctl", ["-D", _dataDir, "-w", "-t", "60", "-l", Path.Combine(_dataDir, "server.log"), .. extra, action]);

    private void Pg(string tool, string[] args)
    {
        var path = Path.Combine(_bin, tool);
        var (code, output, error) = _asPostgresUser
            ? External.Run("runuser", ["-u", "postgres", "--", path, .. args], TimeSpan.FromMinutes(2))
            : External.Run(path, args, TimeSpan.FromMinutes(2));
        if (code != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({code}): {error}{output}");
        }
    }

    private static void Run(string file, string[] args)
    {
        var (code, _, error) = External.Run(file, args, TimeSpan.FromMinutes(1));
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} failed: {error}");
        }
    }

    private static string? FindBin() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A test that needs a private PostgreSQL server: skipped locally without the binaries, failing when CI=true.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PrivatePostgresFactAttribute : FactAttribute
{
    public PrivatePostgresFactAttribute()
    {
        if (PrivatePostgres.WhyMissing is { } why && !External.InCi)
        {
            Skip = why;
        }
    }
}
