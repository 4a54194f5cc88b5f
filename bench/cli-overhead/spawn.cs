// Baseline for the hone CLI overhead benchmark: the cost of starting a trivial process from .NET the way
// hone does (System.Diagnostics.Process, stdin/stdout/stderr redirected, asynchronous line reads), directly
// or through setsid (hone's own process group). Usage: dotnet run spawn.cs -- N direct|setsid
using System.Diagnostics;
using System.Globalization;

var n = int.Parse(args[0], CultureInfo.InvariantCulture);
var viaSetsid = args[1] == "setsid";
for (var warm = 0; warm < 2; warm++)
{
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < n; i++)
    {
        var info = new ProcessStartInfo(viaSetsid ? "/usr/bin/setsid" : "/bin/true")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (viaSetsid)
        {
            info.ArgumentList.Add("--");
            info.ArgumentList.Add("/bin/true");
        }

        using var p = Process.Start(info)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.StandardInput.Close();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        p.WaitForExit();
    }

    if (warm == 1)
    {
        Console.WriteLine(FormattableString.Invariant($"{clock.Elapsed.TotalMilliseconds / n:F3}"));
    }
}
