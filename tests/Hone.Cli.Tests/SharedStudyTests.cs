using Hone.Studies;
using Hone.Trials;
using Npgsql;

namespace Hone.Cli.Tests;

/// <summary>
/// Several hone processes on one study in PostgreSQL (the many-machines setup): they share the trial budget.
/// Needs the server .ci/run starts (or HONE_TEST_POSTGRES); without it the test only checks SQLite.
/// </summary>
public sealed class SharedStudyTests : IDisposable
{
    private static readonly string BaseUrl =
        Environment.GetEnvironmentVariable("HONE_TEST_POSTGRES") is { Length: > 0 } url ? url : "postgresql://hone:hone@localhost:5432/hone";

    private readonly TempFolder _dir = new();
    private string? _schema;

    public void Dispose()
    {
        if (_schema is not null)
        {
            Execute($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
        }

        _dir.Dispose();
    }

    private static string ConnectionString()
    {
        var uri = new Uri(BaseUrl);
        var user = uri.UserInfo.Split(':');
        return $"Host={uri.Host};Port={(uri.Port > 0 ? uri.Port : 5432)};Database={uri.AbsolutePath.TrimStart('/')};Username={Uri.UnescapeDataString(user[0])};" +
            $"Password={(user.Length > 1 ? Uri.UnescapeDataString(user[1]) : string.Empty)};Timeout=5";
    }

    private static void Execute(string sql)
    {
        using var c = new NpgsqlConnection(ConnectionString());
        c.Open();
        using var cmd = c.CreateCommand();
#pragma warning disable CA2100 // a generated schema name
        cmd.CommandText = sql;
#pragma warning restore CA2100
        cmd.ExecuteNonQuery();
    }

    private string? PostgresUrl()
    {
        try
        {
            _schema = $"cli_{Guid.NewGuid():N}";
            Execute($"CREATE SCHEMA {_schema}");
            return $"{BaseUrl}{(BaseUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?')}options=-csearch_path%3D{_schema}";
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or UriFormatException)
        {
            _schema = null;
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"PostgreSQL is not reachable in CI: {e.Message}");
            return null;
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task TwoHoneProcessesOnOneStudy_StopTogetherAtTheTarget(string kind)
    {
        var url = kind == "sqlite" ? _dir.StorageUrl : PostgresUrl();
        if (url is null)
        {
            return;
        }

        _dir.Write("emit.sh", """
            #!/bin/sh
            sleep 0.1
            printf '{"loss": %s}\n' "$HONE_PARAM_X"
            """);
        _dir.Write("sweep.yaml", $"""
            study: shared
            storage: "{url}"
            metric: loss
            sampler: random
            parameters:
              x: {"{"}type: float, low: 0, high: 1{"}"}
            command: [./emit.sh]
            trials: 12
            jobs: 2
            """);

        var results = await Task.WhenAll(CliRunner.RunAsync("optimize", _dir["sweep.yaml"]), CliRunner.RunAsync("optimize", _dir["sweep.yaml"]));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var trials = Study.Load("shared", url).Trials;
        Assert.All(trials, t => Assert.Equal(TrialState.Complete, t.State));
        Assert.InRange(trials.Count, 12, 14); // two processes may each start one trial in the same instant
        Assert.Equal(trials.Count, trials.Select(t => t.Number).Distinct().Count());
    }
}
