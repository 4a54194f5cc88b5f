using Hone.MLNet.Tuning;
using Hone.Storage;
using Microsoft.ML;

namespace Hone.MLNet.Tests.Tuning;

/// <summary><see cref="TuneOptions.Trials"/> (this many more) against <see cref="TuneOptions.TotalTrials"/> (a target over the study).</summary>
public class TuneBudgetTests
{
    private static TuneResult Tune(IStorage storage, int trials, int? total) =>
        new MLNetTuner(new MLContext(0)).Tune(TestData.Iris(), "target", new TuneOptions
        {
            Task = TuningTask.MulticlassClassification,
            Trainers = ["LbfgsMaximumEntropy"],
            Trials = trials,
            TotalTrials = total,
            Seed = 3,
            Storage = storage,
            StudyName = "iris",
            LoadIfExists = true,
        });

    [Fact]
    public void Resumed_WithTotalTrials_TopsTheStudyUp_WithTrialsAddsThatManyMore()
    {
        var storage = new InMemoryStorage();
        Assert.Equal(3, Tune(storage, 3, null).TrialsRun);

        var topped = Tune(storage, 50, 5);
        Assert.Equal(2, topped.TrialsRun);
        Assert.Equal(5, topped.Study.Trials.Count);

        var more = Tune(storage, 2, null);
        Assert.Equal(2, more.TrialsRun);
        Assert.Equal(7, more.Study.Trials.Count);
    }

    [Fact]
    public void TotalTrials_NotPositive_IsRefused()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Tune(new InMemoryStorage(), 3, 0));
        Assert.Contains("TotalTrials must be at least 1, got 0", e.Message, StringComparison.Ordinal);
    }
}
