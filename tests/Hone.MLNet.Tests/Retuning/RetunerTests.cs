using System.Globalization;
using System.Text;
using System.Text.Json;
using Hone.MLNet.Data;
using Hone.MLNet.Retuning;
using Hone.MLNet.Tuning;
using Hone.MLNet.Validation;
using Hone.Storage;
using Hone.Studies;
using Microsoft.ML;

namespace Hone.MLNet.Tests.Retuning;

public class RetunerTests
{
    /// <summary>
    /// Two random halves of breast cancer; in the new half six size columns are multiplied by <paramref name="scale"/>
    /// for benign rows and divided by it for malignant ones, so they shift and the old model gets worse.
    /// </summary>
    private static (TabularData Old, TabularData New) Halves(double scale = 1, string? dropColumn = null)
    {
        var table = TestData.BreastCancer();
        var columns = table.ColumnNames;
        var cells = columns.Select(table.Cells).ToArray();
        var rows = Enumerable.Range(0, table.RowCount).ToArray();
        new Random(1).Shuffle(rows);
        var half = rows.Length / 2;
        var scaled = new HashSet<string>(["f0", "f2", "f3", "f20", "f22", "f23"], StringComparer.Ordinal);
        string Csv(IEnumerable<int> part, bool change)
        {
            var keep = Enumerable.Range(0, columns.Count).Where(c => columns[c] != dropColumn || !change).ToArray();
            var text = new StringBuilder(string.Join(",", keep.Select(c => columns[c]))).Append('\n');
            foreach (var r in part)
            {
                var factor = cells[^1][r].Trim() == "1" ? scale : 1 / scale;
                text.AppendJoin(",", keep.Select(c => change && scaled.Contains(columns[c])
                    ? (double.Parse(cells[c][r], CultureInfo.InvariantCulture) * factor).ToString("R", CultureInfo.InvariantCulture)
                    : cells[c][r])).Append('\n');
            }

            return text.ToString();
        }

        return (TabularData.Parse(Csv(rows.Take(half), false), "old.csv"), TabularData.Parse(Csv(rows.Skip(half), true), "new.csv"));
    }

    private static Study TuneOld(TabularData old, IStorage storage)
    {
        var result = new MLNetTuner(new MLContext(0)).Tune(old, "target", new TuneOptions
        {
            Trainers = ["LightGbm"],
            Trials = 3,
            Validation = ValidationStrategy.StratifiedKFold(3),
            Storage = storage,
            StudyName = "old",
        });
        return result.Study;
    }

    [Fact]
    public void An_unshifted_half_shows_no_shift_and_no_drop_and_is_not_retuned()
    {
        var storage = new InMemoryStorage();
        var (old, now) = Halves();
        var study = TuneOld(old, storage);
        var options = new RetuneOptions { Storage = storage, Trials = 2 };

        var check = new Retuner(new MLContext(0)).Check(study, old, now, options);

        Assert.Equal(30, check.Shifts.Count);
        Assert.False(check.Shifted);
        Assert.False(check.Drop.Significant);
        Assert.False(check.ShouldRetune);
        Assert.Equal(now.RowCount, check.Drop.NewRows);
        Assert.StartsWith("no re-tune", check.Decision, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => new Retuner(new MLContext(0)).Retune(check, options));
        Assert.Single(storage.GetAllStudies());
    }

    [Fact]
    public void Shifted_data_is_retuned_in_a_linked_study_that_starts_from_the_old_best_and_is_compared_on_the_same_folds()
    {
        var storage = new InMemoryStorage();
        var (old, now) = Halves(scale: 1.5);
        var study = TuneOld(old, storage);
        using var taken = Study.Create(new StudyOptions { Name = "old-retune-1", Storage = storage });
        var options = new RetuneOptions { Storage = storage, Trials = 3 };
        var retuner = new Retuner(new MLContext(0));

        var check = retuner.Check(study, old, now, options);
        Assert.True(check.Shifted);
        Assert.Equal(["f0", "f2", "f20", "f22", "f23", "f3"], check.Shifts.Where(s => s.Shifted).Select(s => s.Column).Order(StringComparer.Ordinal));
        Assert.True(check.Drop.Significant, $"drop {check.Drop}");
        Assert.True(check.Drop.NewCiHigh < check.Drop.ReferenceMean - options.MaxDrop);

        var result = retuner.Retune(check, options);
        var created = result.Tuning.Study;
        Assert.Equal("old-retune-2", created.Name);
        Assert.Equal("old", created.UserAttrs[Retuner.RetuneOfKey].GetString());
        Assert.True(created.UserAttrs[Retuner.FindingsKey].GetProperty("score_dropped").GetBoolean());
        var first = created.Trials.OrderBy(t => t.Number).First();
        Assert.Equal(study.BestParams.OrderBy(p => p.Key), first.Params.OrderBy(p => p.Key));

        // The old configuration rebuilt from its parameters scores exactly as the tuner scored the same configuration
        // (the enqueued first trial) on the same folds of the new data.
        var o = result.OldVsNew;
        var firstFolds = first.UserAttrs["fold_scores"].EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(firstFolds, o.Old.FoldScores);
        Assert.Equal(result.Tuning.Best.FoldScores, o.New.FoldScores);
        Assert.Equal(o.New.FoldScores.Zip(o.Old.FoldScores).Average(p => p.First - p.Second), o.Comparison.MeanDifference, 12);
        Assert.Equal(result.Tuning.TestRows.Count, o.DeployedTest!.Rows);
        Assert.Equal(result.Tuning.Test, o.NewTest);
        Assert.NotNull(o.OldTest);

        using var json = JsonDocument.Parse(result.ToJson());
        Assert.Equal("old", json.RootElement.GetProperty("retune").GetProperty("retune_of").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("old_vs_new").GetProperty("old").GetProperty("cv").GetProperty("fold_scores").GetArrayLength());
        Assert.Contains("Old against new on the new data", result.FormatReport(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_names_the_columns_the_new_data_lacks_and_refuses_a_study_the_tuner_did_not_make()
    {
        var storage = new InMemoryStorage();
        var (old, lacking) = Halves(dropColumn: "f7");
        var study = TuneOld(old, storage);
        var retuner = new Retuner(new MLContext(0));

        var e = Assert.Throws<ArgumentException>(() => retuner.Check(study, old, lacking, new RetuneOptions()));
        Assert.Contains("lacks column \"f7\", which study \"old\" was tuned with", e.Message, StringComparison.Ordinal);

        using var plain = Study.Create(new StudyOptions { Name = "plain", Storage = storage });
        var notTuned = Assert.Throws<ArgumentException>(() => retuner.Check(plain, old, old, new RetuneOptions()));
        Assert.Contains("was not made by hone tune", notTuned.Message, StringComparison.Ordinal);

        var bad = Assert.Throws<ArgumentException>(() => retuner.Check(study, old, old, new RetuneOptions { Alpha = 2, MaxDrop = -1 }));
        Assert.Contains("Alpha must be in (0, 1), got 2.", bad.Message, StringComparison.Ordinal);
        Assert.Contains("MaxDrop must be a non-negative number, got -1.", bad.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StudyDirection.Maximize, 0.90, 0.88, 0.929, true)] // whole interval below 0.95 − 0.02
    [InlineData(StudyDirection.Maximize, 0.90, 0.88, 0.931, false)] // the interval reaches above the tolerance
    [InlineData(StudyDirection.Minimize, 1.30, 1.221, 1.35, true)] // RMSE: whole interval above 1.2 + 0.02
    [InlineData(StudyDirection.Minimize, 1.30, 1.219, 1.35, false)]
    public void A_drop_is_significant_only_when_the_whole_interval_is_worse_by_more_than_the_tolerance(
        StudyDirection direction, double value, double low, double high, bool significant)
    {
        var reference = direction == StudyDirection.Maximize ? 0.95 : 1.2;
        var drop = new ScoreDrop(direction, reference, reference - 0.01, reference + 0.01, null, value, low, high, 100, 0.02);
        Assert.Equal(significant, drop.Significant);
        Assert.True(drop.Drop > 0);
    }

    [Fact]
    public void Every_validation_description_reads_back_as_the_same_strategy()
    {
        ValidationStrategy[] strategies =
        [
            ValidationStrategy.StratifiedKFold(3), ValidationStrategy.KFold(4), ValidationStrategy.RepeatedKFold(3, 2),
            ValidationStrategy.RepeatedKFold(5, 3, stratified: false), ValidationStrategy.HoldOut(0.3), ValidationStrategy.HoldOut(0.25, stratified: false),
            ValidationStrategy.TimeOrdered(4),
        ];
        foreach (var s in strategies)
        {
            Assert.Equal(s.Description, TunedStudy.ParseValidation(s.Description)?.Description);
        }

        Assert.Null(TunedStudy.ParseValidation("something else"));
    }
}
