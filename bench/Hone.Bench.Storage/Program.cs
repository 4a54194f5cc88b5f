// Storage overhead benchmark: Hone vs Optuna 3.1 (Debian's python3-optuna) on the same database engine (or journal
// file), in one run. See docs/benchmarks.md.
//
// usage: dotnet run -c Release --project bench/Hone.Bench.Storage -- [--trials 1000] [--workers 8] [--repeat 3]
//            [--sqlite-dir DIR] [--postgres "postgresql://u:p@host/db?options=-csearch_path%3Dbench"] [--skip-sqlite 1]
//            [--journal 1] (also Optuna's journal file: Hone's JournalStorage vs Optuna's JournalFileStorage, in --sqlite-dir)
//        The PostgreSQL schema named in the URL is dropped and recreated before every run.
//        (internal) ... worker URL STUDY TRIALS
using System.Diagnostics;
using System.Globalization;
using Hone.Samplers;
using Hone.Samplers.Tpe;
using Hone.Studies;
using Hone.Trials;

var inv = CultureInfo.InvariantCulture;
var notes = new List<string>();
if (args.Length > 0 && args[0] == "worker")
{
    var study = Study.Load(new StudyOptions { Name = args[2], StorageUrl = args[1], Sampler = new RandomSampler() });
    var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
    study.Optimize(Objective, new OptimizeOptions { Trials = int.Parse(args[3], inv) });
    Console.WriteLine(string.Create(inv, $"{start} {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0}"));
    return 0;
}

if (args.Length > 0 && args[0] == "scale-worker")
{
    return ScaleWorker(args[1], args[2], int.Parse(args[3], inv), int.Parse(args[4], inv));
}

var options = new Dictionary<string, string>();
for (var i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

if (options.TryGetValue("long", out var longTrials))
{
    // A long study in one process: time per trial of each block of 1,000, and memory every 10,000 trials.
    var url = options["url"];
    if (url.StartsWith("postgresql", StringComparison.Ordinal))
    {
        ResetPostgres(url);
    }

    var total = int.Parse(longTrials, inv);
    var tpe = options.GetValueOrDefault("sampler", "random") == "tpe";
    var study = Study.Create(new StudyOptions { StorageUrl = url, Sampler = tpe ? new TpeSampler(new TpeSamplerOptions { Seed = 1 }) : new RandomSampler(1) });
    Console.WriteLine($"# long study: {total} trials, {(tpe ? "TPE" : "random")}, {url}; load {File.ReadAllText("/proc/loadavg").Trim()}");
    Console.WriteLine("| trials | ms per trial (last 1,000) | RSS MB | GC heap MB |");
    Console.WriteLine("|---:|---:|---:|---:|");
    var block = Stopwatch.StartNew();
    for (var n = 1; n <= total; n++)
    {
        var trial = study.Ask();
        var x = trial.SuggestFloat("x", -10, 10);
        var y = trial.SuggestFloat("y", -10, 10);
        study.Tell(trial, x * x + y * y);
        if (n % 1000 == 0)
        {
            var ms = block.Elapsed.TotalMilliseconds / 1000;
            if (n == 1000 || n % 10_000 == 0 || n == total)
            {
                using var self = Process.GetCurrentProcess();
                Console.WriteLine(string.Create(inv, $"| {n} | {ms:0.000} | {self.WorkingSet64 / 1048576.0:0.0} | {GC.GetTotalMemory(false) / 1048576.0:0.0} |"));
            }

            block.Restart();
        }
    }

    return 0;
}

if (options.TryGetValue("scale", out var scaleList))
{
    return Scale.Run(options["postgres"], [.. scaleList.Split(',').Select(w => int.Parse(w, inv))],
        [.. options.GetValueOrDefault("sleep", "0,10").Split(',').Select(w => int.Parse(w, inv))],
        int.Parse(options.GetValueOrDefault("trials", "960"), inv), options.GetValueOrDefault("sides", "optuna,hone").Split(','));
}

var trials = int.Parse(options.GetValueOrDefault("trials", "1000"), inv);
var workers = int.Parse(options.GetValueOrDefault("workers", "8"), inv);
var repeat = int.Parse(options.GetValueOrDefault("repeat", "3"), inv);
var dir = options.GetValueOrDefault("sqlite-dir", Path.Combine(Path.GetTempPath(), "hone-bench-storage"));
Directory.CreateDirectory(dir);
var backends = new List<(string Name, Func<string> NewUrl)>();
if (!options.ContainsKey("skip-sqlite"))
{
    backends.Add(("SQLite", () => "sqlite:///" + Path.Combine(dir, $"b-{Guid.NewGuid():N}.db")));
}

if (options.ContainsKey("journal"))
{
    backends.Add(("Journal file", () => "journal:///" + Path.Combine(dir, $"j-{Guid.NewGuid():N}.log")));
}

if (options.TryGetValue("postgres", out var pg))
{
    backends.Add(("PostgreSQL", () => { ResetPostgres(pg); return pg; }));
}

var script = Path.Combine(AppContext.BaseDirectory, "storage.py");
Console.WriteLine(string.Create(inv, $"# {trials} trials, random sampler, objective x^2 + y^2 (two float params); median of {repeat} runs"));
Console.WriteLine("| backend | measure | Hone | Optuna 3.1 | Optuna / Hone |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var (name, newUrl) in backends)
{
    // SQLite: Hone's default (WAL, synchronous=NORMAL) and fully synced commits (synchronous=FULL); Optuna as it ships.
    string[] variants = name == "SQLite" ? [string.Empty, "?synchronous=full"] : [string.Empty];
    if (options.TryGetValue("hone-only", out var only))
    {
        foreach (var variant in only.Split(','))
        {
            var t = Median(Enumerable.Range(0, repeat).Select(_ => HoneSingle(newUrl() + variant, trials)));
            Console.WriteLine(string.Create(inv, $"| {name} {variant} | ms per trial, 1 process | {t * 1000 / trials:0.00} | | |"));
        }

        continue;
    }

    // Rounds alternate the frameworks, so that load from elsewhere on the machine falls on both alike.
    var optunaTimes = new List<double>();
    var honeTimes = variants.ToDictionary(v => v, _ => new List<double>());
    for (var r = 0; r < repeat; r++)
    {
        optunaTimes.Add(OptunaSingle(newUrl(), trials));
        foreach (var variant in variants)
        {
            honeTimes[variant].Add(HoneSingle(newUrl() + variant, trials));
        }
    }

    var optuna = Median(optunaTimes);
    var optunaTput = Median(Enumerable.Range(0, repeat).Select(_ => Concurrent(newUrl(), string.Empty, trials, workers, optunaWorkers: true)));
    foreach (var variant in variants)
    {
        var label = variant.Length == 0 ? name : $"{name} ({variant.TrimStart('?')})";
        var hone = Median(honeTimes[variant]);
        var ratios = optunaTimes.Zip(honeTimes[variant], (o, h) => o / h).Order().ToList();
        Console.WriteLine(string.Create(inv,
            $"| {label} | ms per trial, 1 process | {hone * 1000 / trials:0.00} | {optuna * 1000 / trials:0.00} | {optuna / hone:0.0}x (rounds {ratios[0]:0.0}–{ratios[^1]:0.0}x) |"));
        var honeTput = Median(Enumerable.Range(0, repeat).Select(_ => Concurrent(newUrl(), variant, trials, workers, optunaWorkers: false)));
        Console.WriteLine(string.Create(inv, $"| {label} | trials/s, {workers} processes | {honeTput:0} | {optunaTput:0} | {honeTput / optunaTput:0.0}x |"));
    }
}

foreach (var failure in notes.Distinct())
{
    Console.WriteLine($"note: {failure}");
}

return 0;

// A worker of the many-workers benchmark: opens the study, says "ready", waits for a line on stdin, then runs TRIALS
// trials by ask and tell (x^2 + y^2, sleeping SLEEP ms in the objective) and prints its ask latencies and times.
static int ScaleWorker(string url, string name, int trials, int sleepMs)
{
    var i = CultureInfo.InvariantCulture;
    var study = Study.Load(new StudyOptions { Name = name, StorageUrl = url, Sampler = new RandomSampler() });
    Console.WriteLine(string.Create(i, $"ready {Scale.Now()}"));
    Console.Out.Flush();
    Console.In.ReadLine();
    var start = Scale.Now();
    var asks = new List<double>(trials);
    var (told, errors, firstEnd) = (0, 0, 0.0);
    for (var n = 0; n < trials; n++)
    {
        try
        {
            var t0 = Stopwatch.GetTimestamp();
            var trial = study.Ask();
            asks.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            var x = trial.SuggestFloat("x", -10, 10);
            var y = trial.SuggestFloat("y", -10, 10);
            if (sleepMs > 0)
            {
                Thread.Sleep(sleepMs);
            }

            study.Tell(trial, x * x + y * y);
            told++;
            if (firstEnd == 0)
            {
                firstEnd = Scale.Now();
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            errors++;
            Console.Error.WriteLine(e.Message);
        }
    }

    Console.WriteLine(string.Create(i, $"{start} {Scale.Now()} {firstEnd} {told} {errors} {string.Join(',', asks.Select(a => a.ToString("0.###", i)))}"));
    return 0;
}

static double Objective(Trial t)
{
    var x = t.SuggestFloat("x", -10, 10);
    var y = t.SuggestFloat("y", -10, 10);
    return x * x + y * y;
}

static double HoneSingle(string url, int trials)
{
    var study = Study.Create(new StudyOptions { StorageUrl = url, Sampler = new RandomSampler(1) });
    study.Optimize(Objective, new OptimizeOptions { Trials = 5 }); // warm up the JIT on this database
    var sw = Stopwatch.StartNew();
    study.Optimize(Objective, new OptimizeOptions { Trials = trials });
    return sw.Elapsed.TotalSeconds;
}

double OptunaSingle(string url, int trials) =>
    double.Parse(Run("/usr/bin/python3", [script, "single", url, trials.ToString(inv)]).Trim(), inv);

double Concurrent(string url, string honeOptions, int trials, int workers, bool optunaWorkers)
{
    var name = $"c-{Guid.NewGuid():N}";
    if (optunaWorkers)
    {
        Run("/usr/bin/python3", [script, "create", url, name]); // Optuna's own schema, so Optuna 3.1 opens it without flags
    }
    else
    {
        url += honeOptions;
        Study.Create(new StudyOptions { Name = name, StorageUrl = url });
    }

    var per = trials / workers;
    var processes = Enumerable.Range(0, workers).Select(_ => optunaWorkers
        ? Start("/usr/bin/python3", [script, "worker", url, name, per.ToString(inv)])
        : Start(Environment.ProcessPath!, [.. DotnetArgs(), "worker", url, name, per.ToString(inv)])).ToList();
    var failures = new List<string>();
    var spans = new List<(double Start, double End)>();
    foreach (var p in processes)
    {
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            failures.Add(error.Contains("database is locked", StringComparison.Ordinal) ? "database is locked" : error.Trim().Split('\n')[^1]);
            continue;
        }

        var parts = output.Trim().Split(' ');
        spans.Add((double.Parse(parts[0], inv), double.Parse(parts[1], inv)));
    }

    if (failures.Count > 0)
    {
        notes.Add(string.Create(inv, $"{(optunaWorkers ? "Optuna" : "Hone")}: {failures.Count} of {workers} workers failed ({string.Join("; ", failures.Distinct())})"));
        return double.NaN;
    }

    return per * workers / (spans.Max(s => s.End) - spans.Min(s => s.Start));
}

static string[] DotnetArgs() =>
    Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? [typeof(Study).Assembly.Location.Replace("Hone.dll", "Hone.Bench.Storage.dll", StringComparison.Ordinal)] : [];

static Process Start(string file, string[] arguments)
{
    var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var a in arguments)
    {
        info.ArgumentList.Add(a);
    }

    return Process.Start(info)!;
}

static string Run(string file, string[] arguments)
{
    using var p = Start(file, arguments);
    var output = p.StandardOutput.ReadToEnd();
    var error = p.StandardError.ReadToEnd();
    p.WaitForExit();
    return p.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} failed: {error}");
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    if (sorted.Any(double.IsNaN))
    {
        return double.NaN;
    }

    return sorted[sorted.Length / 2];
}

static void ResetPostgres(string url)
{
    // A fresh, empty schema each run, so that Optuna creates its own tables (Optuna 3.1 refuses Hone's v3.2.0.a
    // schema without skip_compatibility_check) and Hone opens Optuna's.
    var uri = new Uri(url);
    var user = uri.UserInfo.Split(':');
    var schema = Uri.UnescapeDataString(uri.Query).Split("search_path=")[1].Split('&')[0];
    using var c = new Npgsql.NpgsqlConnection(
        $"Host={uri.Host};Port={(uri.Port > 0 ? uri.Port : 5432)};Username={user[0]};Password={(user.Length > 1 ? user[1] : string.Empty)};Database={uri.AbsolutePath.TrimStart('/')}");
    c.Open();
    using var cmd = c.CreateCommand();
#pragma warning disable CA2100 // benchmark setup with a schema name from the command line
    cmd.CommandText = $"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}";
#pragma warning restore CA2100
    cmd.ExecuteNonQuery();
}
