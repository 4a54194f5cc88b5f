using System.Diagnostics;
using System.Text.Json;

namespace Hone.Tests.Analysis.Importance;

/// <summary>Debian's python3-optuna (3.1.0) with scikit-learn at /usr/bin/python3, the reference the comparison tests run.</summary>
internal static class OptunaPython
{
    public const string Executable = "/usr/bin/python3";

    private static readonly Lazy<string?> Missing = new(() =>
    {
        try
        {
            var (code, _, error) = Run(["-c", "import optuna, sklearn"], TimeSpan.FromSeconds(60));
            return code == 0 ? null : $"{Executable} cannot import optuna and sklearn ({error.Trim()}); apt-get install python3-optuna python3-sklearn";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{Executable} not found ({e.Message}); apt-get install python3-optuna python3-sklearn";
        }
    });

    /// <summary>Why Optuna cannot be run here, or null when it can.</summary>
    public static string? WhyMissing => Missing.Value;

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs a script with arguments and parses the JSON it prints last; throws with its stderr when it fails.</summary>
    public static JsonElement Json(string script, params string[] args)
    {
        if (WhyMissing is { } why)
        {
            throw new InvalidOperationException(why);
        }

        var (code, output, error) = Run(["-c", script, .. args], TimeSpan.FromMinutes(5));
        if (code != 0)
        {
            throw new InvalidOperationException($"{Executable} exited with {code}:\n{error}\n{output}");
        }

        return JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]).RootElement.Clone();
    }

    private static (int Code, string Output, string Error) Run(IEnumerable<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Executable} did not finish within {timeout}.");
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}

/// <summary>A test that needs Optuna: skipped with the reason locally when it is missing, run (and failing) when CI=true.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class OptunaFactAttribute : FactAttribute
{
    public OptunaFactAttribute()
    {
        if (OptunaPython.WhyMissing is { } why && !OptunaPython.InCi)
        {
            Skip = why;
        }
    }
}
