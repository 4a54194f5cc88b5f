using System.Diagnostics;
using System.Text.Json;

namespace Hone.Storage.Tests;

/// <summary>Runs Debian's python3-optuna (3.1.0) at /usr/bin/python3: the real client the interop tests check against.</summary>
internal static class Python
{
    public const string Executable = "/usr/bin/python3";

    private static readonly Lazy<string?> Missing = new(() =>
    {
        try
        {
            var (code, _, err) = External.Run(Executable, ["-c", "import optuna, sqlalchemy; print(optuna.__version__)"], TimeSpan.FromSeconds(60));
            return code == 0 ? null : $"{Executable} cannot import optuna ({err.Trim()}); apt-get install python3-optuna";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{Executable} not found ({e.Message}); apt-get install python3-optuna";
        }
    });

    /// <summary>Why Optuna cannot be used here, or null when it can.</summary>
    public static string? WhyMissing => Missing.Value;

    /// <summary>Runs a Python script and parses the JSON it prints last.</summary>
    public static JsonElement Json(string script, params string[] args)
    {
        var output = Run(script, args);
        var last = output.TrimEnd().Split('\n')[^1];
        return JsonDocument.Parse(last).RootElement.Clone();
    }

    /// <summary>Runs a Python script with arguments; throws with its stderr when it fails.</summary>
    public static string Run(string script, params string[] args)
    {
        if (WhyMissing is { } why)
        {
            throw new InvalidOperationException(why);
        }

        var (code, output, error) = External.Run(Executable, ["-c", script, .. args], TimeSpan.FromMinutes(5));
        return code == 0 ? output : throw new InvalidOperationException($"Python exited with {code}:\n{error}\n{output}");
    }
}

/// <summary>A test that needs python3-optuna: skipped with the reason locally when it is missing, run (and failing) when CI=true.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class OptunaFactAttribute : FactAttribute
{
    public OptunaFactAttribute()
    {
        if ((Python.WhyMissing ?? Hone.Tests.Storage.StorageFactAttribute.Requirement()) is { } why && !External.InCi)
        {
            Skip = why;
        }
    }
}

/// <summary>Starting other processes: Python, the storage worker.</summary>
internal static class External
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } p ? p : "dotnet";

    public static string WorkerDll => Path.Combine(AppContext.BaseDirectory, "Hone.Storage.Worker.dll");

    public static ProcessStartInfo StartInfo(string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    public static (int ExitCode, string Output, string Error) Run(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        using var process = Process.Start(StartInfo(file, args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout}.");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Starts a storage worker (see tests/Hone.Storage.Worker/Program.cs).</summary>
    public static Process StartWorker(string url, string study, int trials, params string[] options) =>
        Process.Start(StartInfo(Dotnet, [WorkerDll, url, study, trials.ToString(System.Globalization.CultureInfo.InvariantCulture), .. options]))!;
}
