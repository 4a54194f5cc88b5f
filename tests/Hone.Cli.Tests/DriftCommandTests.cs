using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Hone.Cli.Tests;

/// <summary><c>hone drift</c>: per-column shift tests between the tuning data and new data, and the exit code a scheduled job acts on.</summary>
public sealed class DriftCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Csv(string name, int rows, double shift, int seed, string extraHeader = "", Func<int, string>? extra = null)
    {
        var rng = new Random(seed);
        var text = new StringBuilder("x,kind,target" + extraHeader + "\n");
        for (var i = 0; i < rows; i++)
        {
            var x = shift + (Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
            text.Append(CultureInfo.InvariantCulture, $"{x:R},{(rng.NextDouble() < 0.3 ? "b" : "a")},{i % 2}{(extra is null ? string.Empty : "," + extra(i))}\n");
        }

        _dir.Write(name, text.ToString());
        return _dir[name];
    }

    [Fact]
    public async Task Drift_ExitsFiveNamingTheMovedColumn_AndZeroWhenNothingMoved()
    {
        var old = Csv("old.csv", 400, 0, 1);
        var same = Csv("same.csv", 300, 0, 2);
        var moved = Csv("moved.csv", 300, 0.7, 3);

        var quiet = await CliRunner.RunAsync("drift", "--reference", old, "--data", same);
        Assert.True(quiet.ExitCode == 0, quiet.ToString());
        Assert.Contains("3 columns tested", quiet.Output, StringComparison.Ordinal);
        Assert.Contains("no column has shifted", quiet.Output, StringComparison.Ordinal);

        var result = await CliRunner.RunAsync("drift", "--reference", old, "--data", moved, "--format", "json");
        Assert.True(result.ExitCode == 5, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        Assert.True(json.RootElement.GetProperty("shifted").GetBoolean());
        var columns = json.RootElement.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("column").GetString()!);
        Assert.True(columns["x"].GetProperty("shifted").GetBoolean());
        Assert.Equal("ks", columns["x"].GetProperty("test").GetString());
        Assert.False(columns["kind"].GetProperty("shifted").GetBoolean());
        Assert.Equal("chi2", columns["kind"].GetProperty("test").GetString());
    }

    [Fact]
    public async Task Drift_BadInput_NamesTheFlag()
    {
        var old = Csv("old.csv", 50, 0, 1);
        var missing = await CliRunner.RunAsync("drift", "--reference", old, "--data", _dir["nope.csv"]);
        Assert.True(missing.ExitCode == 1, missing.ToString());
        Assert.Contains("--data: file", missing.Error, StringComparison.Ordinal);

        var ignore = await CliRunner.RunAsync("drift", "--reference", old, "--data", old, "--ignore", "y");
        Assert.True(ignore.ExitCode == 2, ignore.ToString());
        Assert.Contains("--ignore: neither file has a column \"y\"; the columns are x, kind, target", ignore.Error, StringComparison.Ordinal);
    }
}
