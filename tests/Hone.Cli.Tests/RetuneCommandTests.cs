using System.Globalization;
using System.Text.Json;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Tests;

/// <summary><c>hone retune</c>: drift and score-drop check of a tuned study on new data, and the linked, warm-started re-tune.</summary>
public sealed class RetuneCommandTests : IDisposable
{
    private const string OldStudy = "old-binary-auc";
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// Two random halves of breast_cancer.csv (header f0..f29,target) as old.csv and new.csv; <paramref name="scale"/>
    /// multiplies six size columns (radius, perimeter, area, mean and worst) of the new half's benign rows and divides
    /// those of its malignant rows: the columns shift, and a model that learnt "large means malignant" gets worse.
    /// </summary>
    private (string Old, string New) Halves(double scale = 1, string? dropColumn = null)
    {
        var lines = File.ReadAllLines(TuneNamingTests.Data("breast_cancer.csv")).Skip(1).Where(l => l.Length > 0).ToArray();
        new Random(1).Shuffle(lines);
        var header = string.Join(",", Enumerable.Range(0, 30).Select(i => $"f{i}").Append("target"));
        var half = lines.Length / 2;
        _dir.Write("old.csv", header + "\n" + string.Join("\n", lines.Take(half)) + "\n");
        int[] scaled = [0, 2, 3, 20, 22, 23];
        var changed = lines.Skip(half).Select(line =>
        {
            var cells = line.Split(',');
            var factor = cells[^1] == "1" ? scale : 1 / scale;
            foreach (var c in scaled)
            {
                cells[c] = (double.Parse(cells[c], CultureInfo.InvariantCulture) * factor).ToString("R", CultureInfo.InvariantCulture);
            }

            return cells;
        });
        var names = header.Split(',');
        var keep = Enumerable.Range(0, names.Length).Where(i => names[i] != dropColumn).ToArray();
        _dir.Write("new.csv", string.Join(",", keep.Select(i => names[i])) + "\n" + string.Join("\n", changed.Select(c => string.Join(",", keep.Select(i => c[i])))) + "\n");
        return (_dir["old.csv"], _dir["new.csv"]);
    }

    private async Task TuneOld(string old)
    {
        var tune = await CliRunner.RunAsync("tune", "--data", old, "--trainers", "LightGbm", "-n", "4", "-j", "1", "--validation", "stratified:3",
            "--storage", _dir.StorageUrl, "--out", _dir["out-old"], "-q");
        Assert.True(tune.ExitCode == 0, tune.ToString());
    }

    [Fact]
    public async Task Retune_UnshiftedHalves_ExitsZero_AndTunesNothing()
    {
        var (old, now) = Halves();
        await TuneOld(old);

        var result = await CliRunner.RunAsync("retune", "--from", OldStudy, "--data", now, "--storage", _dir.StorageUrl, "-n", "4", "-j", "1", "--out", _dir["out"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("30 columns tested", result.Output, StringComparison.Ordinal);
        Assert.Contains("no column has shifted", result.Output, StringComparison.Ordinal);
        Assert.Contains("not dropped", result.Output, StringComparison.Ordinal);
        Assert.Contains("Decision: no re-tune", result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir["out"]));
        var studies = await CliRunner.RunAsync("studies", "--storage", _dir.StorageUrl);
        Assert.DoesNotContain("retune", studies.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retune_ShiftedData_TunesALinkedWarmStartedStudy_AndComparesOldWithNew()
    {
        var (old, now) = Halves(scale: 1.5);
        await TuneOld(old);

        var result = await CliRunner.RunAsync("retune", "--from", OldStudy, "--data", now, "--storage", _dir.StorageUrl, "-n", "4", "-j", "1", "--out", _dir["out"]);

        Assert.True(result.ExitCode == 5, result.ToString());
        Assert.Contains("f0 ", result.Output, StringComparison.Ordinal);
        Assert.Contains("6 column(s) have shifted", result.Output, StringComparison.Ordinal);
        Assert.Contains("  dropped: the whole interval lies below the old mean", result.Output, StringComparison.Ordinal);
        Assert.Contains("Decision: re-tune: 6 of 30 columns have shifted and the old model's score has dropped", result.Output, StringComparison.Ordinal);
        Assert.Contains("Old against new on the new data", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(_dir["out/model.zip"]));

        using var oldStudy = Study.Load(OldStudy, _dir.StorageUrl);
        using var study = Study.Load(OldStudy + "-retune-1", _dir.StorageUrl);
        Assert.Equal(OldStudy, study.UserAttrs["hone.retune_of"].GetString());
        Assert.Equal(OldStudy, study.UserAttrs["hone.warm_start_from"][0].GetString());
        Assert.Equal("new.csv", study.UserAttrs["data_file"].GetString());
        var shifted = study.UserAttrs["hone.retune"].GetProperty("shifted_columns").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["f0", "f2", "f20", "f22", "f23", "f3"], shifted);
        var first = study.Trials.OrderBy(t => t.Number).First();
        Assert.Equal(oldStudy.BestParams.OrderBy(p => p.Key), first.Params.OrderBy(p => p.Key));
        Assert.Equal(oldStudy.BestValue, first.UserAttrs["warm_start_value"].GetDouble(), 12);
        Assert.Equal(4, study.Trials.Count(t => t.State.IsFinished()));

        using var summary = JsonDocument.Parse(File.ReadAllText(_dir["out/summary.json"]));
        var oldVsNew = summary.RootElement.GetProperty("old_vs_new");
        Assert.Equal(OldStudy, oldVsNew.GetProperty("old").GetProperty("study").GetString());
        Assert.Equal(3, oldVsNew.GetProperty("old").GetProperty("cv").GetProperty("fold_scores").GetArrayLength());
        Assert.Equal(3, oldVsNew.GetProperty("new").GetProperty("cv").GetProperty("fold_scores").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, oldVsNew.GetProperty("comparison").GetProperty("wilcoxon").GetProperty("p_value").ValueKind);
        Assert.True(oldVsNew.GetProperty("deployed_old_model_test").GetProperty("rows").GetInt32() > 0);
        Assert.True(summary.RootElement.GetProperty("retune").GetProperty("score_drop").GetProperty("significant").GetBoolean());
    }

    [Fact]
    public async Task Retune_BadInput_SaysWhatIsWrong()
    {
        var (old, _) = Halves();
        await TuneOld(old);
        var (_, lacking) = Halves(dropColumn: "f7");

        var unknown = await CliRunner.RunAsync("retune", "--from", "nope", "--data", lacking, "--storage", _dir.StorageUrl);
        Assert.True(unknown.ExitCode == 1, unknown.ToString());
        Assert.Contains($"--from: sqlite:///{_dir.Db} has no study \"nope\"; its studies are {OldStudy}", unknown.Error, StringComparison.Ordinal);

        var missing = await CliRunner.RunAsync("retune", "--from", OldStudy, "--data", lacking, "--storage", _dir.StorageUrl);
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("--data: ", missing.Error, StringComparison.Ordinal);
        Assert.Contains("lacks column \"f7\", which study \"old-binary-auc\" was tuned with", missing.Error, StringComparison.Ordinal);

        File.Move(old, _dir["moved.csv"]);
        var gone = await CliRunner.RunAsync("retune", "--from", OldStudy, "--data", lacking, "--storage", _dir.StorageUrl);
        Assert.True(gone.ExitCode == 1, gone.ToString());
        Assert.Contains($"was tuned on {old}, which no longer exists; pass --reference OLD.csv", gone.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", gone.Error, StringComparison.Ordinal);

        File.WriteAllLines(old, File.ReadAllLines(_dir["moved.csv"]).SkipLast(1));
        var changed = await CliRunner.RunAsync("retune", "--from", OldStudy, "--data", lacking, "--storage", _dir.StorageUrl);
        Assert.True(changed.ExitCode == 2, changed.ToString());
        Assert.Contains($"was tuned on {old} (sha256 ", changed.Error, StringComparison.Ordinal);
        Assert.Contains("but that file has changed since; pass --reference OLD.csv", changed.Error, StringComparison.Ordinal);
        File.Delete(old);

        var (_, now) = Halves();
        var withReference = await CliRunner.RunAsync("retune", "--from", OldStudy, "--data", now, "--reference", _dir["moved.csv"], "--storage", _dir.StorageUrl);
        Assert.True(withReference.ExitCode == 0, withReference.ToString());
        Assert.Contains("moved.csv (284 rows)", withReference.Output, StringComparison.Ordinal);
    }
}
