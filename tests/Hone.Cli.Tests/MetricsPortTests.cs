using System.Net;
using System.Net.Sockets;

namespace Hone.Cli.Tests;

/// <summary><c>hone worker --metrics-port</c>: Hone's metrics in Prometheus format while the worker runs.</summary>
public sealed class MetricsPortTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public MetricsPortTests()
    {
        _dir.Write("obj.sh", """
            #!/bin/sh
            touch "running-$HONE_TRIAL_NUMBER"
            echo "{\"loss\": $HONE_PARAM_X}"
            """);
        _dir.Write("sweep.yaml", """
            study: s
            metric: loss
            sampler: {name: random, seed: 3}
            parameters:
              x: {type: float, low: 0, high: 10}
            command: ./obj.sh
            trials: 3
            """);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Worker_MetricsPort_ServesTrialsStorageAndSuggestMetrics_WhileItRuns()
    {
        // Each trial takes 1.5 s: while trial 0 runs the trial and storage metrics are there, and once it has
        // finished (with two trials still to go) it is counted as complete.
        // Other tests in this process run studies too, and the meter is process-wide: look at this study's series only.
        var name = $"metrics-{Guid.NewGuid():N}";
        _dir.Write("sweep.yaml", $$"""
            study: {{name}}
            metric: loss
            sampler: {name: random, seed: 3}
            parameters:
              x: {type: float, low: 0, high: 10}
            command: ./wait.sh
            trials: 3
            """);
        _dir.Write("wait.sh", """
            #!/bin/sh
            sleep 1.5
            echo "{\"loss\": $HONE_PARAM_X}"
            """);
        var port = FreePort();
        var worker = CliRunner.RunAsync("worker", "--sweep", _dir["sweep.yaml"], "--jobs", "1", "--metrics-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var first = await ScrapeUntilAsync(http, port, text => Series(text, "hone_trials_started", name).Count > 0, worker);
        Assert.Contains("hone_storage_duration_seconds_bucket", first, StringComparison.Ordinal);
        Assert.Contains("operation=\"CreateTrial\"", first, StringComparison.Ordinal);
        Assert.NotEmpty(Series(first, "hone_suggest_duration_seconds_count", name));

        var second = await ScrapeUntilAsync(http, port,
            text => Series(text, "hone_trials_finished", name).Any(l => l.Contains("state=\"complete\"", StringComparison.Ordinal)), worker);
        var complete = Series(second, "hone_trials_finished", name).First(l => l.Contains("state=\"complete\"", StringComparison.Ordinal));
        Assert.True(double.Parse(complete.Split('}')[1].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) >= 1, complete);

        var result = await worker;
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Dashboard_MetricsPort_ServesTheStorageTimesOfItsReads()
    {
        using (var study = Hone.Studies.Study.Create(new Hone.Studies.StudyOptions { Name = "d", StorageUrl = _dir.StorageUrl }))
        {
            study.Optimize(t => t.SuggestFloat("x", 0, 1), new Hone.Studies.OptimizeOptions { Trials = 3 });
        }

        var port = FreePort();
        using var stop = new CancellationTokenSource();
        var dashboard = CliRunner.RunAsync(["dashboard", "--storage", _dir.StorageUrl, "--port", "0", "--metrics-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], stop.Token);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var text = await ScrapeUntilAsync(http, port, t => t.Contains("hone_storage_duration_seconds_count", StringComparison.Ordinal), dashboard);
        Assert.Contains("storage=\"sqlite\"", text, StringComparison.Ordinal);
        await stop.CancelAsync();
        var result = await dashboard;
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Worker_MetricsPortInUse_SaysSoInTheFlagsTerms()
    {
        using var taken = new TcpListener(IPAddress.Any, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var result = await CliRunner.RunAsync("worker", "--sweep", _dir["sweep.yaml"], "--metrics-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"--metrics-port {port}", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Error, StringComparison.Ordinal);
    }

    private static async Task<string> ScrapeUntilAsync(HttpClient http, int port, Func<string, bool> done, Task<CliResult> worker)
    {
        var last = string.Empty;
        for (var i = 0; i < 300 && !worker.IsCompleted; i++)
        {
            try
            {
                last = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
                if (done(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        Assert.Fail($"the metrics never showed what was expected (worker: {(worker.IsCompleted ? worker.Result.ToString() : "running")}); last scrape:\n{last}");
        return last;
    }

    /// <summary>The sample lines of a metric (name, then labels) for one study.</summary>
    private static List<string> Series(string text, string metric, string study) =>
        text.Split('\n').Where(l => l.StartsWith(metric, StringComparison.Ordinal) && l.Contains($"study=\"{study}\"", StringComparison.Ordinal)).ToList();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
