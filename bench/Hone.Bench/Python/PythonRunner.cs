using System.Diagnostics;
using System.Text;

namespace Hone.Bench.Python;

/// <summary>
/// Runs a script of bench/optuna with Debian's python3 (the one that has python3-optuna 3.1.0), passing its
/// stderr through live and returning its stdout.
/// </summary>
internal sealed class PythonRunner(string executable)
{
    public const string DefaultExecutable = "/usr/bin/python3";

    public string Executable { get; } = executable;

    public string Run(string script, params string[] arguments)
    {
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add("-u");
        info.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["PYTHONHASHSEED"] = "0";
        using var process = Process.Start(info)
            ?? throw new InvalidOperationException($"Could not start {Executable}.");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"  [python] {e.Data}");
            }
        };
        process.BeginErrorReadLine();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Executable} {script} {string.Join(' ', arguments)} exited with code {process.ExitCode}. Its output:\n{stdout}");
        }

        return stdout;
    }
}
