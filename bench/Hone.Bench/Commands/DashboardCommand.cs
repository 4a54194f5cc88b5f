using System.Diagnostics;
using System.Text.Json;
using Hone.Bench.Cli;
using Hone.Dashboard;
using Hone.Distributions;
using Hone.Storage;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Bench.Commands;

/// <summary>
/// The dashboard on a large SQLite study: N finished trials of 3 parameters (made once and kept in the file: run the command a second time to measure in a process that did not write them). Measures the
/// server's start-up load of the trials, the first trial-table page after it, later pages sorted by value or filtered,
/// a cold first page (no preload finished: a request that arrives at once), and the process's memory with the study held.
/// </summary>
internal static class DashboardCommand
{
    public const string Usage = "dashboard [--trials 100000] [--db /tmp/hone-dashboard-bench.db] [--repeats 20]";

    public static int Run(BenchArgs args)
    {
        var trials = args.Int("trials", 100_000, min: 1);
        var db = args.String("db", Path.Combine(Path.GetTempPath(), "hone-dashboard-bench.db"));
        var repeats = args.Int("repeats", 20, min: 1);
        args.ThrowIfUnknown();

        var url = StorageUrl.Parse($"sqlite:///{Path.GetFullPath(db)}");
        Populate(url, trials);
        var storage = url.Open();
        var id = storage.FindStudy("big")!.Value;
        Console.WriteLine($"Dashboard on {db}: study \"big\" (made with --trials {trials} when the file was new); {Environment.ProcessorCount} cores; load {File.ReadAllText("/proc/loadavg").Trim()}");

        using var before = Process.GetCurrentProcess();
        Console.WriteLine($"before the dashboard starts (storage open, nothing read): working set {before.WorkingSet64 / 1e6:0} MB");
        var cold = Stopwatch.StartNew();
        var server = DashboardServer.StartAsync(new DashboardOptions { Storage = storage, Port = 0 }).GetAwaiter().GetResult();
        using var client = new HttpClient { BaseAddress = server.Address };
        var first = Get(client, $"api/studies/{id}/trials?page=0&size=50");
        Console.WriteLine($"cold: start + first page of 50 (waits for the load) {cold.Elapsed.TotalMilliseconds:0} ms, total {first.GetProperty("total").GetInt32()}");
        server.Preload.GetAwaiter().GetResult();

        foreach (var (name, path) in new[]
                 {
                     ("first page", $"api/studies/{id}/trials?page=0&size=50"),
                     ("page 1000", $"api/studies/{id}/trials?page=1000&size=50"),
                     ("sorted by value, descending", $"api/studies/{id}/trials?sort=value:0&desc=1&size=50"),
                     ("sorted by a parameter", $"api/studies/{id}/trials?sort=param:x&size=50"),
                     ("filtered (kind=b)", $"api/studies/{id}/trials?q=kind%3Db&size=50"),
                     ("change version (the poll)", $"api/studies/{id}/version"),
                 })
        {
            var times = new List<double>();
            for (var r = 0; r < repeats; r++)
            {
                var watch = Stopwatch.StartNew();
                Get(client, path);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            Console.WriteLine($"{name}: median {times[times.Count / 2]:0.0} ms, max {times[^1]:0.0} ms over {repeats}");
        }

        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine($"memory after the requests (no collection forced by the bench): working set {self.WorkingSet64 / 1e6:0} MB, peak {self.PeakWorkingSet64 / 1e6:0} MB, managed heap {GC.GetTotalMemory(false) / 1e6:0} MB, GC committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1e6:0} MB");
        server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return 0;
    }

    private static JsonElement Get(HttpClient client, string path)
    {
        var text = client.GetStringAsync(path).GetAwaiter().GetResult();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static void Populate(StorageUrl url, int trials)
    {
        // An existing study is reused as it is (writing 100,000 trials takes minutes); delete the file to remake it.
        var storage = url.Open();
        if (storage.FindStudy("big") is not null)
        {
            return;
        }

        var watch = Stopwatch.StartNew();
        using var study = Study.Create(new StudyOptions { Name = "big", Storage = storage });
        var space = new Dictionary<string, Distribution>
        {
            ["x"] = new FloatDistribution(0, 1), ["lr"] = new FloatDistribution(1e-5, 1, log: true), ["kind"] = new CategoricalDistribution(["a", "b", "c"]),
        };
        var random = new Random(1);
        for (var i = 0; i < trials; i++)
        {
            var x = random.NextDouble();
            var parameters = new Dictionary<string, object?> { ["x"] = x, ["lr"] = Math.Exp(Math.Log(1e-5) * random.NextDouble()), ["kind"] = ((string[])["a", "b", "c"])[random.Next(3)] };
            study.AddTrial(FrozenTrial.Create(parameters, space, [x * x], userAttrs: new Dictionary<string, object?> { ["fold"] = i % 5 }));
            if (i % 10_000 == 9_999)
            {
                Console.Error.WriteLine($"  wrote {i + 1} trials in {watch.Elapsed.TotalSeconds:0} s");
            }
        }
    }
}
