using Hone.MLNet.Validation;

namespace Hone.MLNet.Tests.Validation;

public class ValidationStrategyTests
{
    // 3 classes of 50, 30 and 20 rows, interleaved.
    private static readonly double[] Labels = Enumerable.Range(0, 100).Select(i => i % 10 < 5 ? 0.0 : i % 10 < 8 ? 1.0 : 2.0).ToArray();
    private static readonly int[] AllRows = Enumerable.Range(0, 100).ToArray();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void KFold_folds_are_disjoint_and_cover_every_row_once(bool stratified)
    {
        var strategy = stratified ? ValidationStrategy.StratifiedKFold(5) : ValidationStrategy.KFold(5);
        var folds = strategy.Split(AllRows, Labels, classification: true, seed: 1);
        Assert.Equal(5, folds.Count);
        Assert.Equal(AllRows, folds.SelectMany(f => f.ValidRows).Order());
        foreach (var fold in folds)
        {
            Assert.Empty(fold.TrainRows.Intersect(fold.ValidRows));
            Assert.Equal(AllRows, fold.TrainRows.Concat(fold.ValidRows).Order());
            Assert.Equal(20, fold.ValidRows.Count);
        }
    }

    [Fact]
    public void Stratified_folds_keep_each_class_share()
    {
        var folds = ValidationStrategy.StratifiedKFold(5).Split(AllRows, Labels, classification: true, seed: 3);
        foreach (var fold in folds)
        {
            var counts = fold.ValidRows.GroupBy(r => Labels[r]).ToDictionary(g => g.Key, g => g.Count());
            Assert.InRange(counts[0], 9, 11);
            Assert.InRange(counts[1], 5, 7);
            Assert.InRange(counts[2], 3, 5);
        }
    }

    [Fact]
    public void Splits_depend_on_the_seed_only()
    {
        var a = ValidationStrategy.KFold(5).Split(AllRows, Labels, false, 1);
        var b = ValidationStrategy.KFold(5).Split(AllRows, Labels, false, 1);
        var c = ValidationStrategy.KFold(5).Split(AllRows, Labels, false, 2);
        Assert.Equal(a.Select(f => f.ValidRows), b.Select(f => f.ValidRows));
        Assert.NotEqual(a[0].ValidRows, c[0].ValidRows);
    }

    [Fact]
    public void Repeated_kfold_reshuffles_each_repeat()
    {
        var folds = ValidationStrategy.RepeatedKFold(4, 3).Split(AllRows, Labels, true, 5);
        Assert.Equal(12, folds.Count);
        Assert.Equal(Enumerable.Range(0, 12), folds.Select(f => f.Index));
        for (var repeat = 0; repeat < 3; repeat++)
        {
            Assert.Equal(AllRows, folds.Where(f => f.Repeat == repeat).SelectMany(f => f.ValidRows).Order());
        }

        Assert.NotEqual(folds[0].ValidRows, folds[4].ValidRows);
    }

    [Fact]
    public void Time_ordered_folds_validate_after_they_train()
    {
        var folds = ValidationStrategy.TimeOrdered(4).Split(AllRows, Labels, false, 0);
        Assert.Equal(4, folds.Count);
        Assert.True(ValidationStrategy.TimeOrdered(4).KeepsOrder);
        foreach (var fold in folds)
        {
            Assert.True(fold.TrainRows.Max() < fold.ValidRows.Min());
            Assert.Equal(Enumerable.Range(0, fold.TrainRows.Count), fold.TrainRows);
        }

        Assert.Equal(99, folds[^1].ValidRows[^1]);
    }

    [Fact]
    public void Hold_out_validates_the_given_share()
    {
        var fold = Assert.Single(ValidationStrategy.HoldOut(0.3).Split(AllRows, Labels, true, 0));
        Assert.Equal(30, fold.ValidRows.Count);
        Assert.Equal(70, fold.TrainRows.Count);
    }

    [Fact]
    public void Test_split_is_stratified_disjoint_and_complete()
    {
        var (tuning, test) = DataSplits.TestSplit(Labels, 0.2, stratified: true, keepOrder: false, seed: 0);
        Assert.Equal(20, test.Length);
        Assert.Empty(tuning.Intersect(test));
        Assert.Equal(AllRows, tuning.Concat(test).Order());
        Assert.Equal(10, test.Count(r => Labels[r] == 0));
        Assert.Equal(6, test.Count(r => Labels[r] == 1));
        Assert.Equal(4, test.Count(r => Labels[r] == 2));
    }

    [Fact]
    public void Time_ordered_test_split_takes_the_last_rows()
    {
        var (tuning, test) = DataSplits.TestSplit(Labels, 0.25, stratified: false, keepOrder: true, seed: 0);
        Assert.Equal(Enumerable.Range(75, 25), test);
        Assert.Equal(Enumerable.Range(0, 75), tuning);
    }

    [Fact]
    public void Too_few_rows_for_the_folds_is_a_clear_error()
    {
        int[] rows = [0, 1, 2];
        var e = Assert.Throws<ArgumentException>(() => ValidationStrategy.KFold(5).Split(rows, Labels, false, 0));
        Assert.Contains("at least 5 tuning rows", e.Message, StringComparison.Ordinal);
        var classes = Assert.Throws<ArgumentException>(() => ValidationStrategy.StratifiedKFold(5).Split([0, 1, 2, 3, 4, 5, 6, 8, 9], Labels, true, 0));
        Assert.Contains("has only 2 tuning rows", classes.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stratified:3", "stratified 3-fold")]
    [InlineData("kfold", "5-fold")]
    [InlineData("repeated:5:2", "2× repeated stratified 5-fold")]
    [InlineData("holdout:0.25", "hold-out 0.25 (stratified)")]
    [InlineData("time:4", "time-ordered 4-fold (expanding window)")]
    public void Strategies_parse_from_text(string text, string description) =>
        Assert.Equal(description, ValidationStrategy.Parse(text).Description);
}
