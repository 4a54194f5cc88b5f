using System.Diagnostics;
using System.Globalization;

namespace Hone.Cli.Running;

/// <summary>
/// Kills the trial programs of this <c>hone</c> process when it dies, however it dies (SIGKILL included), within a
/// moment: a small watchdog shell holds the read end of a pipe whose write end only this process has; when this
/// process ends, the kernel closes the pipe, the watchdog reads end-of-file and kills the process group of every
/// program still registered, grandchildren included.
/// </summary>
/// <remarks>
/// <c>prctl(PR_SET_PDEATHSIG)</c> (<c>setpriv --pdeathsig</c>) is not used: it fires when the thread that started the
/// child exits, and .NET retires thread-pool threads while their children still run; it also misses grandchildren.
/// The watchdog ignores SIGINT, SIGTERM and SIGHUP so that Ctrl+C, which reaches the whole foreground group, leaves
/// it to <c>hone</c>'s own graceful shutdown.
/// </remarks>
internal static class OrphanGuard
{
    private const string Script = """
        trap '' INT TERM HUP QUIT
        groups=' '
        while IFS= read -r line; do
          case "$line" in
            +*) groups="$groups${line#+} " ;;
            -*) id=${line#-}; kept=' '; for g in $groups; do [ "$g" = "$id" ] || kept="$kept$g "; done; groups=$kept ;;
          esac
        done
        for g in $groups; do kill -KILL "-$g" 2>/dev/null; kill -KILL "$g" 2>/dev/null; done
        """;

    private static readonly Lock Gate = new();
    private static Process? _watchdog;
    private static bool _unavailable;

    /// <summary>Registers a started program (the leader of its own process group); false where no watchdog can run.</summary>
    public static bool Add(int pid) => Send(string.Create(CultureInfo.InvariantCulture, $"+{pid}"));

    /// <summary>Unregisters a program that has exited and whose group was cleaned up.</summary>
    public static void Remove(int pid) => Send(string.Create(CultureInfo.InvariantCulture, $"-{pid}"));

    private static bool Send(string line)
    {
        lock (Gate)
        {
            if (Watchdog() is not { } watchdog)
            {
                return false;
            }

            try
            {
                watchdog.StandardInput.WriteLine(line);
                watchdog.StandardInput.Flush();
                return true;
            }
            catch (IOException)
            {
                _watchdog = null;
                return false;
            }
        }
    }

    private static Process? Watchdog()
    {
        if (_watchdog is { HasExited: false } running)
        {
            return running;
        }

        if (_unavailable || OperatingSystem.IsWindows() || !File.Exists("/bin/sh"))
        {
            _unavailable = true;
            return null;
        }

        var info = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Script);
        try
        {
            _watchdog = Process.Start(info);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            _unavailable = true;
            return null;
        }

        return _watchdog;
    }
}
