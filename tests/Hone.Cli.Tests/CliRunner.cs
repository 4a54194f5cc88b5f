using System.Diagnostics;
using Hone.Cli;

namespace Hone.Cli.Tests;

/// <summary>The result of one hone command: exit code and what it printed.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>Runs hone in-process (fast) or as a real process (when signals matter).</summary>
public static class CliRunner
{
    /// <summary>The built tool, run with the same dotnet host as the tests.</summary>
    public static string ToolPath => Path.Combine(AppContext.BaseDirectory, "Hone.Cli.dll");

    public static async Task<CliResult> RunAsync(params string[] args) => await RunAsync(args, CancellationToken.None);

    public static async Task<CliResult> RunAsync(string[] args, CancellationToken interrupt, bool terminal = false)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await HoneCli.RunAsync(args, TextWriter.Synchronized(output), TextWriter.Synchronized(error), terminal, interrupt);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Starts hone as its own process (output captured); the caller waits for it.</summary>
    public static Process Start(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(ToolPath);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info)!;
    }

    /// <summary>Sends a signal to one process with kill(1).</summary>
    public static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Whether the process exists and is not a zombie; one that exits while its status is read is not alive.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            return File.Exists($"/proc/{pid}/status") && !File.ReadAllText($"/proc/{pid}/status").Contains("State:\tZ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string DotnetHost() => Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
}

/// <summary>A temporary folder for one test's sweep file, scripts, database and logs.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hone-cli-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public string Db => this["hone.db"];

    public string StorageUrl => "sqlite:///" + Db;

    /// <summary>A small valid sweep file (two parameters, three trials) that bad-input tests change one line of.</summary>
    public const string GoodSweep = """
        study: s
        metric: loss
        parameters:
          lr: {type: float, low: 0.001, high: 1, log: true}
          opt: [adam, sgd]
        command: [./train.sh, "{lr}"]
        trials: 3
        """;

    /// <summary>Writes <paramref name="yaml"/> as sweep.yaml and runs <c>hone check</c> on it.</summary>
    public async Task<CliResult> CheckAsync(string yaml)
    {
        Write("sweep.yaml", yaml);
        return await CliRunner.RunAsync("check", this["sweep.yaml"]);
    }

    /// <summary>Writes a file (a sweep file, or a script made executable when it starts with #!).</summary>
    public string Write(string name, string text)
    {
        var path = this[name];
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
        if (text.StartsWith("#!", StringComparison.Ordinal) && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
