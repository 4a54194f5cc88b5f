using System.Diagnostics;

namespace Hone.Storage.Tests;

/// <summary>Keeps every core busy (one spinning shell per core) until disposed: the load under which heartbeats and locks break.</summary>
internal sealed class CpuHog : IDisposable
{
    private readonly List<Process> _spinners = [];

    public CpuHog()
    {
        for (var i = 0; i < Environment.ProcessorCount; i++)
        {
            var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("while :; do :; done");
            _spinners.Add(Process.Start(info)!);
        }
    }

    public void Dispose()
    {
        foreach (var p in _spinners)
        {
            try
            {
                p.Kill();
                p.WaitForExit();
            }
            catch (InvalidOperationException)
            {
            }

            p.Dispose();
        }

        _spinners.Clear();
    }
}
