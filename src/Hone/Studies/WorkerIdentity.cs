using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hone.Trials;

namespace Hone.Studies;

/// <summary>
/// Who runs a trial: this machine and this process, recorded on every trial a heartbeating study starts (system
/// attribute <see cref="Key"/>), so that a process on the same machine can tell at once, without waiting for the
/// heartbeat grace period, whether the trial's worker still exists.
/// </summary>
/// <remarks>
/// The machine is named by its host name, boot id and process-id namespace, so that two containers with one host
/// name, or a machine that rebooted, are never taken for the same place. The process is its id and its start time
/// (a reused id has another start time). Where any of that cannot be read, liveness is unknown and only heartbeats
/// decide.
/// </remarks>
internal static class WorkerIdentity
{
    /// <summary>The trial system attribute that names the trial's worker.</summary>
    public const string Key = "hone_worker";

    private static readonly Lazy<(string Host, int Pid, string Start)?> Self = new(ReadSelf);

    /// <summary>This process as the value of <see cref="Key"/>, or null where it cannot be told.</summary>
    public static JsonElement? Current => Self.Value is { } me
        ? AttributeValue.From(Key, new Dictionary<string, object?> { ["host"] = me.Host, ["pid"] = me.Pid, ["start"] = me.Start })
        : null;

    /// <summary>
    /// Whether the worker of a Running trial is alive: true or false when it ran on this machine, null when it ran
    /// elsewhere or the trial names no worker.
    /// </summary>
    public static bool? IsAlive(FrozenTrial trial)
    {
        if (Self.Value is not { } me
            || !trial.SystemAttrs.TryGetValue(Key, out var worker)
            || worker.ValueKind != JsonValueKind.Object
            || !worker.TryGetProperty("host", out var host) || host.ValueKind != JsonValueKind.String || host.GetString() != me.Host
            || !worker.TryGetProperty("pid", out var pidElement) || !pidElement.TryGetInt32(out var pid)
            || !worker.TryGetProperty("start", out var start) || start.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        if (pid == me.Pid)
        {
            return start.GetString() == me.Start;
        }

        return ProcessStart(pid, out var unknown) is { } started ? started == start.GetString() : unknown ? null : false;
    }

    private static (string, int, string)? ReadSelf()
    {
        var pid = Environment.ProcessId;
        if (ProcessStart(pid, out _) is not { } start)
        {
            return null;
        }

        var host = Environment.MachineName;
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var boot = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
                var pidNamespace = new FileInfo("/proc/self/ns/pid").LinkTarget ?? "?";
                host = $"{host}/{boot}/{pidNamespace}";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        return (host, pid, start);
    }

    /// <summary>
    /// When process <paramref name="pid"/> started, as exact text (Linux: clock ticks since boot from /proc), or
    /// null when no such process runs (a zombie counts as gone) or, with <paramref name="unknown"/> set, when this
    /// process may not look (/proc mounted with hidepid, for example).
    /// </summary>
    private static string? ProcessStart(int pid, out bool unknown)
    {
        unknown = false;
        if (OperatingSystem.IsLinux())
        {
            string stat;
            try
            {
                stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                unknown = true;
                return null;
            }

            // Fields after the command name in parentheses (which may itself hold spaces and parentheses).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 19 && fields[0] is not ("Z" or "X" or "x") ? fields[19] : null;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : process.StartTime.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            unknown = true;
            return null;
        }
    }
}
