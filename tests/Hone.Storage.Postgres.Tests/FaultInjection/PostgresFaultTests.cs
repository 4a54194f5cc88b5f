using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Hone.Storage.Tests;
using Hone.Studies;
using Hone.Trials;
using Xunit.Abstractions;

namespace Hone.Storage.Postgres.Tests.FaultInjection;

/// <summary>
/// Worker processes keep running a study while the server is restarted, stopped for a while, or has its
/// connections killed. Each test has a server of its own (<see cref="PrivatePostgres"/>). What must hold: every
/// worker finishes its trials and exits 0, every trial a worker saw recorded is in the database as it saw it,
/// no trial is left Running or duplicated, and numbers are unique.
/// </summary>
public sealed class PostgresFaultTests(ITestOutputHelper output)
{
    private const int Workers = 4;
    private const int PerWorker = 40;

    [PrivatePostgresFact]
    public void ServerRestartedTwiceMidRun_WorkersReconnect_StudyCompletes_NothingLost()
    {
        using var server = PrivatePostgres.Start();
        var run = StartRun(server.Url(), "restart");
        run.WaitForFinished(20);
        server.Restart();
        run.WaitForFinished(70);
        server.Restart();
        run.AssertAllDone(server.Url(), output);
    }

    [PrivatePostgresFact]
    public void ServerDownForSeconds_WorkersWaitWithBackoff_StudyCompletes_NothingLost()
    {
        using var server = PrivatePostgres.Start();
        var run = StartRun(server.Url(), "outage");
        run.WaitForFinished(20);
        server.Stop();
        Thread.Sleep(TimeSpan.FromSeconds(8));
        server.StartAgain();
        run.AssertAllDone(server.Url(), output);
    }

    [PrivatePostgresFact]
    public void ConnectionsKilledByPgTerminateBackend_WorkersCarryOn_StudyCompletes_NothingLost()
    {
        using var server = PrivatePostgres.Start();
        var run = StartRun(server.Url(), "terminate");
        run.WaitForFinished(10);
        var killed = 0;
        for (var round = 0; round < 12 && !run.AllExited; round++)
        {
            killed += int.Parse(server.Sql(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = 'hone' AND pid <> pg_backend_pid() AND backend_type = 'client backend'"),
                CultureInfo.InvariantCulture);
            Thread.Sleep(250);
        }

        output.WriteLine($"connections terminated: {killed}");
        Assert.True(killed > 0, "no connection was terminated: the test did not inject the fault");
        run.AssertAllDone(server.Url(), output);
    }

    [NetworkFaultFact]
    public void OneWorkersNetworkCut_OthersGoOn_ItCarriesOnWhenTheLinkReturns_NothingLost()
    {
        using var ns = NetworkNamespace.Create();
        using var server = PrivatePostgres.Start($"127.0.0.1,{ns.HostAddress}");
        var run = StartRun(server.Url(), "partition", inside: ns);
        run.WaitForFinished(20);
        WorkerRun.WaitUntil(() => run.FinishedBy(0) >= 3, "the worker inside the namespace to record 3 trials");
        ns.Cut();
        var atCut = run.Finished;
        var cutOff = run.FinishedBy(0);
        var othersLeft = (Workers - 1) * PerWorker - (atCut - cutOff);
        // Longer than Npgsql's 30 s command timeout, so a statement sent during the cut can time out rather than be
        // saved by TCP retransmission; the worker must carry on either way.
        Thread.Sleep(TimeSpan.FromSeconds(35));
        output.WriteLine($"during the cut: {run.Finished - atCut} trials by the others, {run.FinishedBy(0) - cutOff} by the cut-off worker");
        var byOthers = run.Finished - atCut - (run.FinishedBy(0) - cutOff);
        Assert.True(byOthers >= Math.Min(10, othersLeft), $"the other workers stalled while one worker's network was cut ({byOthers} of their {othersLeft} remaining trials done)");
        ns.Restore();
        run.AssertAllDone(server.Url(), output);
    }

    private static WorkerRun StartRun(string url, string study, NetworkNamespace? inside = null)
    {
        using (Study.Create(new StudyOptions { Name = study, StorageUrl = url }))
        {
        }

        string[] options = ["sleep-ms=20", "heartbeat-ms=1000", "report=1"];
        var workers = new List<Process>();
        if (inside is not null)
        {
            var innerUrl = url.Replace("127.0.0.1", inside.HostAddress, StringComparison.Ordinal);
            var (file, args) = inside.Inside(External.Dotnet, [External.WorkerDll, innerUrl, study, PerWorker.ToString(CultureInfo.InvariantCulture), .. options]);
            workers.Add(Process.Start(External.StartInfo(file, args))!);
        }

        while (workers.Count < Workers)
        {
            workers.Add(External.StartWorker(url, study, PerWorker, options));
        }

        return new WorkerRun(study, workers);
    }

    /// <summary>The worker processes of one test and what they printed.</summary>
    private sealed class WorkerRun
    {
        private readonly string _study;
        private readonly List<Process> _workers;
        private readonly ConcurrentDictionary<int, string> _finished = new();
        private readonly int[] _finishedBy;
        private readonly ConcurrentQueue<string> _errors = new();
        private readonly List<Task> _readers = [];

        public WorkerRun(string study, List<Process> workers)
        {
            _study = study;
            _workers = workers;
            _finishedBy = new int[workers.Count];
            foreach (var (worker, index) in workers.Select((w, i) => (w, i)))
            {
                _readers.Add(Task.Run(() =>
                {
                    while (worker.StandardOutput.ReadLine() is { } line)
                    {
                        var parts = line.Split(' ');
                        if (parts is ["finished", var number, var state])
                        {
                            Assert.True(_finished.TryAdd(int.Parse(number, CultureInfo.InvariantCulture), state), $"trial {number} reported twice");
                            Interlocked.Increment(ref _finishedBy[index]);
                        }
                    }
                }));
                _readers.Add(Task.Run(async () => _errors.Enqueue(await worker.StandardError.ReadToEndAsync())));
            }
        }

        public bool AllExited => _workers.All(w => w.HasExited);

        public int Finished => _finished.Count;

        public int FinishedBy(int worker) => Volatile.Read(ref _finishedBy[worker]);

        /// <summary>Waits until the workers have recorded at least <paramref name="count"/> trials in all.</summary>
        public void WaitForFinished(int count)
        {
            var watch = Stopwatch.StartNew();
            while (_finished.Count < count)
            {
                Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), $"only {_finished.Count} trials finished in 2 minutes");
                Assert.False(AllExited, "every worker exited early: " + string.Join(" | ", _errors));
                Thread.Sleep(20);
            }
        }

        public static void WaitUntil(Func<bool> condition, string what)
        {
            var watch = Stopwatch.StartNew();
            while (!condition())
            {
                Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), $"waited 2 minutes for {what}");
                Thread.Sleep(20);
            }
        }

        public void AssertAllDone(string url, ITestOutputHelper output)
        {
            foreach (var worker in _workers)
            {
                if (!worker.WaitForExit(TimeSpan.FromMinutes(4)))
                {
                    worker.Kill(entireProcessTree: true);
                }
            }

            Task.WaitAll([.. _readers], TimeSpan.FromSeconds(30));
            var errors = string.Join("\n", _errors.Where(e => e.Length > 0));
            output.WriteLine(errors);
            Assert.All(_workers, w => Assert.True(w.ExitCode == 0, $"a worker exited with {w.ExitCode}: {errors}"));

            using var study = Study.Load(_study, url);
            var trials = study.Trials;
            Assert.Equal(Enumerable.Range(0, trials.Count), trials.Select(t => t.Number).Order());
            Assert.DoesNotContain(trials, t => t.State is TrialState.Running or TrialState.Waiting);
            foreach (var (number, state) in _finished)
            {
                Assert.Equal(state, trials[number].State.ToString());
            }

            Assert.Equal(Workers * PerWorker, _finished.Count);
            Assert.Equal(Workers * PerWorker, trials.Count(t => t.State == TrialState.Complete));
            Assert.Equal(trials.Count, _finished.Count);
        }
    }
}

/// <summary>A test that cuts a worker's network: needs root and iproute2; skipped with the reason otherwise, in CI too (a privilege, not a package).</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class NetworkFaultFactAttribute : FactAttribute
{
    public NetworkFaultFactAttribute()
    {
        if (NetworkNamespace.WhyMissing is { } why)
        {
            Skip = why;
        }
        else if (PrivatePostgres.WhyMissing is { } missing && !External.InCi)
        {
            Skip = missing;
        }
    }
}
