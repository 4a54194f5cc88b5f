// Heartbeat gaps under load. Starts W worker processes (Hone, or Optuna 3.1 with --optuna) on one SQLite study,
// keeps every core busy with spinning shells, and samples the database every 50 ms: for each Running trial, how old
// its heartbeat is. The oldest age seen is the longest a live trial looked dead to another process: the grace period
// must exceed it. Also counts live trials that were failed anyway and workers that died.
//   Hone.Bench.Heartbeat [--workers 8] [--trials 30] [--trial-ms 2000] [--heartbeat-ms 1000] [--hog 2] [--optuna] [--repeat 3]
//   Hone.Bench.Heartbeat worker URL STUDY TRIALS TRIAL_MS HEARTBEAT_MS   (one Hone worker)
using System.Diagnostics;
using System.Globalization;
using Hone.Samplers;
using Hone.Studies;
using Microsoft.Data.Sqlite;

var inv = CultureInfo.InvariantCulture;
if (args.Length > 0 && args[0] == "worker")
{
    using var study = Study.Create(new StudyOptions
    {
        Name = args[2], StorageUrl = args[1], LoadIfExists = true, Sampler = new RandomSampler(),
        HeartbeatInterval = TimeSpan.FromMilliseconds(int.Parse(args[5], inv)),
    });
    var sleep = int.Parse(args[4], inv);
    study.Optimize(t =>
    {
        var x = t.SuggestFloat("x", -10, 10);
        Thread.Sleep(sleep);
        return x * x;
    }, new OptimizeOptions { Trials = int.Parse(args[3], inv) });
    Console.WriteLine("done");
    return 0;
}

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    var key = args[i].TrimStart('-');
    options[key] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
}

int Int(string key, int fallback) => options.TryGetValue(key, out var v) ? int.Parse(v, inv) : fallback;
var workers = Int("workers", 8);
var trials = Int("trials", 30);
var trialMs = Int("trial-ms", 2000);
var heartbeatMs = Int("heartbeat-ms", 1000);
var hog = Int("hog", Environment.ProcessorCount);
var repeat = Int("repeat", 3);
var optuna = options.ContainsKey("optuna");

Console.WriteLine($"# {(optuna ? "Optuna 3.1" : "Hone")}: {workers} workers x {trials} trials of {trialMs} ms, heartbeat {heartbeatMs} ms, {hog} spinning shells on {Environment.ProcessorCount} cores");
for (var round = 1; round <= repeat; round++)
{
    var folder = Directory.CreateTempSubdirectory("hone-heartbeat-bench-").FullName;
    var db = Path.Combine(folder, "hb.db");
    var url = "sqlite:///" + db;
    Study.Create(new StudyOptions { Name = "hb", StorageUrl = url }).Dispose();
    var spinners = Enumerable.Range(0, hog).Select(_ => Start("/bin/sh", ["-c", "while :; do :; done"])).ToList();
    var started = Stopwatch.StartNew();
    var procs = Enumerable.Range(0, workers).Select(_ => optuna
        ? Start("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "heartbeat_worker.py"), url, "hb", $"{trials}", $"{trialMs}", $"{heartbeatMs}"])
        : Start(Environment.ProcessPath!, [.. ProcessPrefix(), "worker", url, "hb", $"{trials}", $"{trialMs}", $"{heartbeatMs}"])).ToList();

    var ages = new List<double>();
    var worst = 0.0;
    var load = new List<double>();
    using (var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=false"))
    {
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT (julianday('now') - julianday(h.heartbeat)) * 86400.0 FROM trials t JOIN trial_heartbeats h ON h.trial_id = t.trial_id WHERE t.state = 'RUNNING'";
        while (procs.Any(p => !p.HasExited))
        {
            try
            {
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var age = reader.GetDouble(0);
                    ages.Add(age);
                    worst = Math.Max(worst, age);
                }
            }
            catch (SqliteException)
            {
            }

            if (ages.Count % 40 == 0)
            {
                load.Add(double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], inv));
            }

            Thread.Sleep(50);
        }
    }

    foreach (var s in spinners)
    {
        s.Kill();
        s.WaitForExit();
    }

    var died = procs.Count(p => p.ExitCode != 0);
    using var check = Study.Load("hb", url);
    var live = check.Trials.Count(t => t.State == Hone.Trials.TrialState.Fail);
    ages.Sort();
    double P(double q) => ages.Count == 0 ? double.NaN : ages[Math.Min(ages.Count - 1, (int)(q * ages.Count))];
    Console.WriteLine(string.Create(inv,
        $"round {round}: {check.Trials.Count} trials in {started.Elapsed.TotalSeconds:0} s, load {load.DefaultIfEmpty().Min():0.0}-{load.DefaultIfEmpty().Max():0.0}; heartbeat age of running trials: median {P(0.5):0.00} s, p99 {P(0.99):0.00} s, worst {worst:0.00} s ({worst / (heartbeatMs / 1000.0):0.0}x the interval); failed {live}; workers died {died}"));
    Directory.Delete(folder, recursive: true);
}

return 0;

static Process Start(string file, IEnumerable<string> arguments)
{
    var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in arguments)
    {
        info.ArgumentList.Add(a);
    }

    var p = Process.Start(info)!;
    p.OutputDataReceived += (_, _) => { };
    p.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) { Console.Error.WriteLine(line); } };
    p.BeginOutputReadLine();
    p.BeginErrorReadLine();
    return p;
}

// Run as "dotnet Hone.Bench.Heartbeat.dll" or as the apphost: either way start the same program for workers.
static string[] ProcessPrefix() =>
    Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? [Path.Combine(AppContext.BaseDirectory, "Hone.Bench.Heartbeat.dll")] : [];
