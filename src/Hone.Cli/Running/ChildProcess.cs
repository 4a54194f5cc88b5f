using System.Diagnostics;

namespace Hone.Cli.Running;

/// <summary>
/// A trial's program, started without a shell in a process group of its own (through <c>setsid</c>), so that
/// stopping it stops everything it started: SIGTERM to the group, a grace period, then SIGKILL. Its group is killed
/// too when <c>hone</c> itself dies, however it dies (<see cref="OrphanGuard"/>).
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private static readonly string? SetsidPath = FindSetsid();
    private readonly Process _process;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _ownGroup;

    private ChildProcess(Process process, bool ownGroup)
    {
        _process = process;
        _ownGroup = ownGroup;
    }

    public int Pid { get; private set; }

    /// <summary>Completes when the program itself has exited (its output may still be draining).</summary>
    public Task Exited => _exited.Task;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="program"/> (a full path) with its arguments; stdin is empty.</summary>
    public static ChildProcess Start(
        string program, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        Action<string> onStdout, Action<string> onStderr)
    {
        var info = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        var ownGroup = SetsidPath is not null;
        if (ownGroup)
        {
            info.FileName = SetsidPath;
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(program);
        }
        else
        {
            info.FileName = program;
        }

        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment)
        {
            info.Environment[k] = v;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, ownGroup);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onStdout(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onStderr(e.Data);
            }
        };
        process.Exited += (_, _) => child._exited.TrySetResult();
        process.Start();
        child.Pid = process.Id;
        if (ownGroup)
        {
            OrphanGuard.Add(child.Pid);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the program's output to end (after it exited), stopping leftovers of its group first.</summary>
    public async Task DrainAsync()
    {
        if (_ownGroup)
        {
            // Anything the program left running in its group would hold the output pipes open.
            Posix.KillGroup(Pid, Posix.SIGKILL);
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Stops the program and everything in its process group: SIGTERM, then SIGKILL once <paramref name="grace"/>
    /// has passed or <paramref name="now"/> is cancelled. Returns whether SIGKILL was needed.
    /// </summary>
    public async Task<bool> TerminateAsync(TimeSpan grace, CancellationToken now)
    {
        if (!_ownGroup)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            return true;
        }

        Posix.KillGroup(Pid, Posix.SIGTERM);
        var deadline = Stopwatch.GetTimestamp() + (long)(grace.TotalSeconds * Stopwatch.Frequency);
        while (Posix.GroupAlive(Pid) && Stopwatch.GetTimestamp() < deadline && !now.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(20, now).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return Posix.KillGroup(Pid, Posix.SIGKILL);
    }

    public void Dispose()
    {
        if (_ownGroup)
        {
            OrphanGuard.Remove(Pid);
        }

        _process.Dispose();
    }

    private static string? FindSetsid()
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        foreach (var candidate in new[] { "/usr/bin/setsid", "/bin/setsid", "/usr/local/bin/setsid" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
