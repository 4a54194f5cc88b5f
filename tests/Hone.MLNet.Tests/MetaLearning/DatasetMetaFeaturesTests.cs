using System.Text.Json;
using Hone.MLNet.Data;
using Hone.MLNet.MetaLearning;

namespace Hone.MLNet.Tests.MetaLearning;

public class DatasetMetaFeaturesTests
{
    /// <summary>8 rows: x numeric with one missing cell, c categorical (a/b), label 6 × 0 and 2 × 1.</summary>
    private static TabularData Small() => TabularData.Parse(
        "x,c,label\n1,a,0\n2,a,0\nNA,b,0\n4,a,0\n5,b,0\n6,a,0\n7,b,1\n8,b,1", "small.csv");

    [Fact]
    public void Counts_shares_class_balance_and_missing_cells_of_a_small_table()
    {
        var meta = DatasetMetaFeatures.Of(Small(), "label", TuningTask.BinaryClassification);

        Assert.Equal(Math.Log(8), meta.LogRows, 12);
        Assert.Equal(Math.Log(2), meta.LogColumns, 12);
        Assert.Equal(Math.Log(2), meta.LogClasses, 12);
        Assert.Equal(0.25, meta.MinorityShare, 12);
        var entropy = -((0.25 * Math.Log(0.25)) + (0.75 * Math.Log(0.75))) / Math.Log(2);
        Assert.Equal(entropy, meta.ClassEntropy, 12);
        Assert.Equal(0.5, meta.NumericShare, 12);
        Assert.Equal(0.5, meta.CategoricalShare, 12);
        Assert.Equal(0.0, meta.TextShare, 12);
        Assert.Equal(1.0 / 16, meta.MissingShare, 12);
    }

    [Fact]
    public void Balanced_classes_have_entropy_one_and_regression_has_no_class_features()
    {
        var iris = DatasetMetaFeatures.Of(TestData.Iris(), "target", TuningTask.MulticlassClassification);
        Assert.Equal(1.0, iris.ClassEntropy, 9);
        Assert.Equal(1.0 / 3, iris.MinorityShare, 9);
        Assert.Equal(Math.Log(3), iris.LogClasses, 12);
        Assert.Equal(1.0, iris.NumericShare);
        Assert.Equal(0.0, iris.MissingShare);

        // Iris is easy for a nearest centroid; a stump separates setosa only (about 2/3).
        Assert.InRange(iris.CentroidScore, 0.85, 1.0);
        Assert.InRange(iris.StumpScore, 0.55, 0.75);

        var regression = DatasetMetaFeatures.Of(TestData.Regression(), "y", TuningTask.Regression);
        Assert.Equal(0.0, regression.LogClasses);
        Assert.Equal(0.0, regression.ClassEntropy);
        Assert.Equal(0.0, regression.MinorityShare);

        // y = 3 x0 - 2 x1 + 5: the best single line (on x0) explains much of it, a stump less.
        Assert.InRange(regression.CentroidScore, 0.4, 0.9);
        Assert.InRange(regression.StumpScore, 0.1, regression.CentroidScore);
    }

    [Fact]
    public void Stump_scores_one_on_a_perfectly_separable_column_and_about_the_majority_on_noise()
    {
        var random = new Random(5);
        var n = 200;
        var separable = Enumerable.Range(0, n).Select(i => i >= 120 ? 2 + random.NextDouble() : random.NextDouble()).ToArray();
        var noise = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        var labels = Enumerable.Range(0, n).Select(i => i >= 120 ? 1.0 : 0.0).ToArray();

        var (stump, centroid) = Landmarkers.Scores(LandmarkTable.Of([noise, separable], [], labels, classification: true), 1);
        Assert.Equal(1.0, stump, 12);
        Assert.InRange(centroid, 0.9, 1.0);

        var shuffled = labels.ToArray();
        random.Shuffle(shuffled);
        var (noiseStump, _) = Landmarkers.Scores(LandmarkTable.Of([noise], [], shuffled, classification: true), 1);
        Assert.InRange(noiseStump, 0.4, 0.7);
    }

    [Fact]
    public void Stump_splits_a_categorical_column_one_leaf_per_value_and_missing_cells_on_their_own()
    {
        // Class = code % 3, with the missing code −1 always class 2; no numeric column.
        var codes = Enumerable.Range(0, 90).Select(i => i % 10 == 9 ? -1 : i % 6).ToArray();
        var labels = codes.Select(c => c < 0 ? 2.0 : c % 3).ToArray();
        var (stump, centroid) = Landmarkers.Scores(LandmarkTable.Of([], [codes], labels, classification: true), 2);
        Assert.Equal(1.0, stump, 12);

        // Without numeric columns the second landmarker predicts the majority class.
        Assert.InRange(centroid, 0.2, 0.45);

        var missingOnly = Enumerable.Range(0, 60).Select(i => i % 2 == 0 ? double.NaN : i).ToArray();
        var byMissing = Enumerable.Range(0, 60).Select(i => i % 2 == 0 ? 1.0 : 0.0).ToArray();
        Assert.Equal(1.0, Landmarkers.Scores(LandmarkTable.Of([missingOnly], [], byMissing, classification: true), 3).Stump, 12);
    }

    [Fact]
    public void Round_trips_through_json_and_names_a_missing_feature()
    {
        var meta = DatasetMetaFeatures.Of(Small(), "label", TuningTask.BinaryClassification);
        var json = JsonSerializer.SerializeToElement(meta.ToDictionary());
        Assert.Equal(meta, DatasetMetaFeatures.FromJson(json));

        var partial = meta.ToDictionary().Where(kv => kv.Key != "stump_score").ToDictionary();
        var e = Assert.Throws<FormatException>(() => DatasetMetaFeatures.FromJson(JsonSerializer.SerializeToElement(partial)));
        Assert.Contains("\"stump_score\"", e.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => DatasetMetaFeatures.FromJson(JsonSerializer.SerializeToElement(3)));
    }

    [Fact]
    public void Unknown_label_is_a_clear_error()
    {
        var e = Assert.Throws<ArgumentException>(() => DatasetMetaFeatures.Of(Small(), "y", TuningTask.BinaryClassification));
        Assert.Contains("no label column \"y\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("x, c, label", e.Message, StringComparison.Ordinal);
    }
}
