namespace Hone.Cli.Tests;

/// <summary>Bad command lines for every command: each is refused in the user's words, never in .NET's.</summary>
public sealed class CleanMessageTests : IDisposable
{
    private static readonly string[] DotNetIsms = ["System.", "(Parameter '", "Exception", "   at ", "Nullable`1"];

    private readonly TempFolder _dir = new();

    public CleanMessageTests()
    {
        _dir.Write("sweep.yaml", $"""
            study: s
            storage: {_dir.StorageUrl}
            parameters:
              x: {"{"}type: float, low: 0, high: 1{"}"}
            command: ["true"]
            trials: 1
            """);
        _dir.Write("text.csv", "a,b,target\n1,x,0\n2,y,1\n3,z,0\n4,w,1\n");
    }

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> BadLines() =>
    [
        "optimize SWEEP -n 99999999999999999999",
        "optimize SWEEP -n 0",
        "optimize SWEEP -n abc",
        "optimize SWEEP -j 0",
        "optimize SWEEP -j 1e3",
        "optimize SWEEP --timeout 300000000h",
        "optimize SWEEP --timeout 99999999999999999999999999",
        "optimize SWEEP --timeout 1e400",
        "optimize SWEEP --timeout -5",
        "optimize SWEEP --timeout soon",
        "optimize SWEEP --storage nosuch://x",
        "optimize SWEEP --storage sqlite://host/x.db",
        "optimize SWEEP --quiet --json",
        "optimize /nonexistent.yaml",
        "check /nonexistent.yaml",
        "studies --format xml",
        "studies --storage ''",
        "trials --state finished STORE",
        "trials --study-name nope STORE",
        "best --study-name nope STORE",
        "export --format xml STORE",
        "export --study-name s -o /nonexistent/dir/out.csv STORE",
        "delete STORE",
        "create-study --directions up STORE",
        "create-study --direction up STORE",
        "create-study --study-name s STORE",
        "ask --search-space {\"x\":1} STORE",
        "ask --search-space not-json STORE",
        "ask --sampler tpee STORE",
        "ask --sampler-kwargs {\"seeds\":1} STORE",
        "tell --trial-number 99999999999999999999 STORE",
        "tell --trial-number -1 STORE",
        "tell --trial-number 0 --values abc STORE",
        "tell --trial-number 0 --values 1 2 STORE",
        "tell --trial-number 0 --values nan STORE",
        "tell --trial-number 5 --values 1 STORE",
        "tell --trial-number 0 --state complete STORE",
        "enqueue --params [1] STORE",
        "enqueue --params {\"x\":{\"a\":1}} STORE",
        "enqueue --params {\"y\":1} --sweep SWEEP",
        "tune --data IRIS -n 99999999999999999999",
        "tune --data IRIS -n 0",
        "tune --data IRIS --seed 1.5",
        "tune --data IRIS --jobs 0",
        "tune --data IRIS --test-fraction 2",
        "tune --data IRIS --test-fraction abc",
        "tune --data IRIS --timeout 300000000h",
        "tune --data IRIS --task clustering",
        "tune --data IRIS --task multiclass --metric auc",
        "tune --data IRIS --task multiclass --metric nope",
        "tune --data IRIS --task multiclass --validation kfold:99999999999",
        "tune --data IRIS --task multiclass --validation kfold:1 -n 1 --storage inmemory",
        "tune --data IRIS --task multiclass --validation folds:x",
        "tune --data IRIS --task multiclass --trainers Nope -n 1 --storage inmemory",
        "tune --data IRIS --task multiclass --label nope -n 1 --storage inmemory",
        "tune --data IRIS --task regression --label nope -n 1 --storage inmemory",
        "tune --data TEXT -n 1 --storage inmemory",
        "tune --data /nonexistent.csv",
        "tune --data IRIS --storage nosuch://x",
        "tune --data IRIS --time-budget 0",
        "tune --data IRIS --time-budget soon",
        "tune --data IRIS --memory-limit lots",
        "tune --data IRIS --memory-limit 12KB",
        "tune --data IRIS --cpu-budget -1h",
        "tune --data IRIS --energy-budget 5bananas",
        "tune --data IRIS --energy-budget 0Wh",
    ];

    [Theory]
    [MemberData(nameof(BadLines))]
    public async Task BadCommandLine_IsRefusedWithoutDotNetIsms(string line)
    {
        // Tokens: SWEEP and STORE stand for this test's sweep file and storage, IRIS and TEXT for data files.
        Assert.Equal(0, (await CliRunner.RunAsync("create-study", "--storage", _dir.StorageUrl, "--study-name", "s", "--skip-if-exists")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("ask", "--storage", _dir.StorageUrl, "--study-name", "s")).ExitCode);
        var args = new List<string>();
        foreach (var token in line.Split(' '))
        {
            switch (token)
            {
                case "SWEEP": args.Add(_dir["sweep.yaml"]); break;
                case "STORE": args.AddRange(["--storage", _dir.StorageUrl]); break;
                case "IRIS": args.Add(TuneNamingTests.Data("iris.csv")); break;
                case "TEXT": args.Add(_dir["text.csv"]); break;
                case "''": args.Add(string.Empty); break;
                default: args.Add(token); break;
            }
        }

        var result = await CliRunner.RunAsync([.. args]);

        Assert.True(result.ExitCode is 1 or 2 or 4, result.ToString());
        Assert.NotEqual(string.Empty, result.Error.Trim());
        foreach (var bad in DotNetIsms)
        {
            Assert.False(result.Error.Contains(bad, StringComparison.Ordinal) || result.Output.Contains(bad, StringComparison.Ordinal), $"\"{bad}\" in:\n{result}");
        }
    }
}
