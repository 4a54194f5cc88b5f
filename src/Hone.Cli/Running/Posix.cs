using System.Runtime.InteropServices;

namespace Hone.Cli.Running;

/// <summary>The one libc call .NET does not offer: a signal to a whole process group.</summary>
internal static partial class Posix
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    /// <summary>Sends <paramref name="signal"/> to every process of group <paramref name="pgid"/>; false when none is left.</summary>
    public static bool KillGroup(int pgid, int signal) => OperatingSystem.IsWindows() ? false : Kill(-pgid, signal) == 0;

    /// <summary>Whether any process of the group is still alive (signal 0 checks without sending).</summary>
    public static bool GroupAlive(int pgid) => !OperatingSystem.IsWindows() && Kill(-pgid, 0) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
