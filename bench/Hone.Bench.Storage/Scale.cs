// Many worker processes on one PostgreSQL study, Hone against Optuna 3.1 in the same run (docs/benchmarks.md,
// "PostgreSQL with many workers"). Every worker opens the study and reports ready; all are then released at once, so
// throughput is trials over the time from the release to the last worker's end, not the processes' start-up.
using System.Diagnostics;
using System.Globalization;
using Hone.Studies;
using Npgsql;

internal static class Scale
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static double Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    public static int Run(string url, int[] workerCounts, int[] sleeps, int trials, string[] sides)
    {
        Console.WriteLine($"# {trials} trials per configuration (random sampler, x^2 + y^2, ask/tell); load {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("| workers | objective | side | trials/s | ideal trials/s | ask p50 ms | ask p99 ms | first trial s (median / max) | errors | duplicates | lost | orphaned | bad rows |");
        Console.WriteLine("|---:|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|");
        foreach (var sleep in sleeps)
        {
            foreach (var workers in workerCounts)
            {
                var results = new Dictionary<string, double>();
                foreach (var side in sides)
                {
                    var r = RunOne(url, side, workers, trials / workers, sleep);
                    results[side] = r;
                }

                if (results.TryGetValue("hone", out var h) && results.TryGetValue("optuna", out var o))
                {
                    Console.WriteLine(string.Create(Inv, $"|  {workers} | {(sleep == 0 ? "trivial" : $"{sleep} ms")} | Hone / Optuna | {h / o:0.0}x | | | | | | | | | |"));
                }
            }
        }

        Console.WriteLine($"# load at the end {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    private static double RunOne(string url, string side, int workers, int per, int sleep)
    {
        ResetSchema(url);
        var name = $"scale-{Guid.NewGuid():N}";
        var script = Path.Combine(AppContext.BaseDirectory, "storage.py");
        if (side == "optuna")
        {
            Exec("/usr/bin/python3", [script, "create", url, name]); // Optuna's own schema
        }
        else
        {
            Study.Create(new StudyOptions { Name = name, StorageUrl = url });
        }

        var spawned = new List<(Process P, double Spawn)>();
        for (var w = 0; w < workers; w++)
        {
            var info = side == "optuna"
                ? Info("/usr/bin/python3", [script, "scale-worker", url, name, per.ToString(Inv), sleep.ToString(Inv)])
                : Info(Environment.ProcessPath!, [.. DotnetArgs(), "scale-worker", url, name, per.ToString(Inv), sleep.ToString(Inv)]);
            spawned.Add((Process.Start(info)!, Now()));
        }

        var ready = new List<double>();
        var errorsText = new List<Task<string>>();
        foreach (var (p, spawn) in spawned)
        {
            errorsText.Add(p.StandardError.ReadToEndAsync());
            var line = p.StandardOutput.ReadLine();
            if (line is null || !line.StartsWith("ready ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{side} worker did not start: {line} {errorsText[^1].Result}");
            }

            ready.Add(double.Parse(line.AsSpan(6), Inv) - spawn); // spawn to study opened, by the worker's own clock
        }

        var release = Now();
        foreach (var (p, _) in spawned)
        {
            p.StandardInput.WriteLine("go");
            p.StandardInput.Flush();
        }

        var asks = new List<double>();
        var firsts = new List<double>();
        var (told, errors, end) = (0, 0, 0.0);
        for (var w = 0; w < spawned.Count; w++)
        {
            var p = spawned[w].P;
            var output = p.StandardOutput.ReadToEnd().Trim().Split(' ');
            p.WaitForExit();
            if (p.ExitCode != 0 || output.Length < 5)
            {
                errors += per;
                Console.Error.WriteLine($"{side} worker failed: {errorsText[w].Result}");
                continue;
            }

            end = Math.Max(end, double.Parse(output[1], Inv));
            var first = double.Parse(output[2], Inv);
            firsts.Add(ready[w] + (first > 0 ? first - release : double.NaN));
            told += int.Parse(output[3], Inv);
            errors += int.Parse(output[4], Inv);
            if (output.Length > 5 && output[5].Length > 0)
            {
                asks.AddRange(output[5].Split(',').Select(a => double.Parse(a, Inv)));
            }
        }

        var check = Check(url, name, told);
        var throughput = told / (end - release);
        asks.Sort();
        firsts.Sort();
        var ideal = sleep == 0 ? "—" : (workers * 1000.0 / sleep).ToString("0", Inv);
        Console.WriteLine(string.Create(Inv,
            $"| {workers} | {(sleep == 0 ? "trivial" : $"{sleep} ms")} | {(side == "hone" ? "Hone" : "Optuna 3.1")} | {throughput:0} | {ideal} | {Pct(asks, 0.5):0.0} | {Pct(asks, 0.99):0.0} | {Pct(firsts, 0.5):0.00} / {firsts.LastOrDefault():0.00} | {errors} | {check.Duplicates} | {check.Lost} | {check.Orphaned} | {check.Bad} |"));
        return throughput;
    }

    private static double Pct(List<double> sorted, double q) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];

    /// <summary>What the database holds afterwards: duplicate or missing numbers, told trials not Complete, trials left Running, Complete trials without both params and a value.</summary>
    private static (long Duplicates, long Lost, long Orphaned, long Bad) Check(string url, string study, int told)
    {
        using var c = Connect(url);
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            WITH t AS (SELECT tr.* FROM trials tr JOIN studies s ON s.study_id = tr.study_id WHERE s.study_name = @n)
            SELECT (SELECT count(*) - count(DISTINCT number) + (CASE WHEN count(*) = 0 THEN 0 ELSE max(number) + 1 - count(DISTINCT number) END) FROM t),
                   (SELECT count(*) FROM t WHERE state = 'COMPLETE'),
                   (SELECT count(*) FROM t WHERE state = 'RUNNING'),
                   (SELECT count(*) FROM t WHERE state = 'COMPLETE' AND ((SELECT count(*) FROM trial_params p WHERE p.trial_id = t.trial_id) <> 2
                        OR (SELECT count(*) FROM trial_values v WHERE v.trial_id = t.trial_id) <> 1))
            """;
        cmd.Parameters.AddWithValue("n", study);
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), told - r.GetInt64(1), r.GetInt64(2), r.GetInt64(3));
    }

    private static NpgsqlConnection Connect(string url)
    {
        var uri = new Uri(url);
        var user = uri.UserInfo.Split(':');
        var schema = Uri.UnescapeDataString(uri.Query).Split("search_path=")[1].Split('&')[0];
        var c = new NpgsqlConnection(
            $"Host={uri.Host};Port={(uri.Port > 0 ? uri.Port : 5432)};Username={user[0]};Password={(user.Length > 1 ? user[1] : string.Empty)};Database={uri.AbsolutePath.TrimStart('/')};Search Path={schema}");
        c.Open();
        return c;
    }

    private static void ResetSchema(string url)
    {
        var schema = Uri.UnescapeDataString(new Uri(url).Query).Split("search_path=")[1].Split('&')[0];
        using var c = Connect(url);
        using var cmd = c.CreateCommand();
#pragma warning disable CA2100 // benchmark setup with a schema name from the command line
        cmd.CommandText = $"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}";
#pragma warning restore CA2100
        cmd.ExecuteNonQuery();
    }

    private static string[] DotnetArgs() =>
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? [typeof(Study).Assembly.Location.Replace("Hone.dll", "Hone.Bench.Storage.dll", StringComparison.Ordinal)] : [];

    private static ProcessStartInfo Info(string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    private static void Exec(string file, string[] arguments)
    {
        using var p = Process.Start(Info(file, arguments))!;
        var error = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {error.Result}");
        }
    }
}
