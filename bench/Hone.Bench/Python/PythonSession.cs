using System.Diagnostics;
using System.Text;

namespace Hone.Bench.Python;

/// <summary>
/// A long-lived python3 process that answers one line of JSON for each command line written to it, so a
/// benchmark can alternate Hone and Optuna runs under the same machine load (bench/optuna/overhead.py --serve).
/// </summary>
internal sealed class PythonSession : IDisposable
{
    private readonly Process _process;

    public PythonSession(string executable, string script, params string[] arguments)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
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
        _process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {executable}.");
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"  [python] {e.Data}");
            }
        };
        _process.BeginErrorReadLine();
    }

    /// <summary>Sends one command and waits for its one-line answer.</summary>
    public string Send(string command)
    {
        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
        return ReadLine();
    }

    /// <summary>Reads the next line the process writes.</summary>
    public string ReadLine() =>
        _process.StandardOutput.ReadLine()
        ?? throw new InvalidOperationException("The Python process ended without answering; see its messages above.");

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000))
            {
                _process.Kill();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }
}
