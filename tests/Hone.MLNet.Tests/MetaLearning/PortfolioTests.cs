using System.Text.Json;
using Hone.MLNet.MetaLearning;
using Hone.MLNet.Tuning;
using Hone.Storage;
using Hone.Trials;
using Microsoft.ML;

namespace Hone.MLNet.Tests.MetaLearning;

public class PortfolioTests
{
    private static DatasetMetaFeatures Meta(double logRows, double stump, double logClasses = 0.693) =>
        new(logRows, 2, logClasses, 1, 0.5, 1, 0, 0, 0, stump, 0.8);

    private static PortfolioEntry Entry(string dataset, DatasetMetaFeatures meta, string trainer, double value, int rank, TuningTask task = TuningTask.BinaryClassification) =>
        new(dataset, dataset + "-study", rank, task, "auc", meta, trainer,
            new Dictionary<string, object?> { ["trainer"] = trainer, [trainer + ".LearningRate"] = value }, 0.9 - (rank * 0.01), rank);

    [Fact]
    public void Neighbours_are_ordered_by_standardized_distance()
    {
        var portfolio = new Portfolio(
        [
            Entry("far", Meta(9, 0.5), "LightGbm", 0.1, 0),
            Entry("near", Meta(5.1, 0.9), "LightGbm", 0.2, 0),
            Entry("middle", Meta(6, 0.8), "LightGbm", 0.3, 0),
        ]);

        var neighbours = portfolio.Neighbours(Meta(5, 0.9), TuningTask.BinaryClassification);
        Assert.Equal(["near", "middle", "far"], neighbours.Select(n => n.Dataset));
        Assert.True(neighbours[0].Distance < neighbours[1].Distance && neighbours[1].Distance < neighbours[2].Distance);
        Assert.Equal(["near-study"], neighbours[0].Studies);

        // Standardized: a feature's scale does not matter, only its spread over the portfolio.
        Assert.Equal(0, portfolio.Distance(Meta(6, 0.8), Meta(6, 0.8)), 12);
        var rowsSd = Std(9, 5.1, 6);
        var stumpSd = Std(0.5, 0.9, 0.8);
        var expected = Math.Sqrt(Math.Pow(1 / rowsSd, 2) + Math.Pow(0.1 / stumpSd, 2));
        Assert.Equal(expected, portfolio.Distance(Meta(5, 0.9), Meta(6, 0.8)), 9);
    }

    [Fact]
    public void Regression_datasets_are_not_neighbours_of_classification_ones_but_binary_and_multiclass_are()
    {
        var portfolio = new Portfolio(
        [
            Entry("reg", Meta(5, 0.9), "LightGbm", 0.1, 0, TuningTask.Regression),
            Entry("multi", Meta(7, 0.5, 1.1), "LightGbm", 0.2, 0, TuningTask.MulticlassClassification),
        ]);
        Assert.Equal(["multi"], portfolio.Neighbours(Meta(5, 0.9), TuningTask.BinaryClassification).Select(n => n.Dataset));
        Assert.Equal(["reg"], portfolio.Neighbours(Meta(5, 0.9), TuningTask.Regression).Select(n => n.Dataset));
    }

    [Fact]
    public void Choose_takes_each_nearest_datasets_best_in_turn_skipping_other_trainers_and_repeats()
    {
        var near = Meta(5, 0.9);
        var far = Meta(8, 0.6);
        var portfolio = new Portfolio(
        [
            Entry("near", near, "FastTree", 0.5, 0),
            Entry("near", near, "LightGbm", 0.1, 1),
            Entry("near", near, "LightGbm", 0.2, 2),
            Entry("far", far, "LightGbm", 0.1, 0), // the same configuration as near's second
            Entry("far", far, "LightGbm", 0.3, 1),
        ]);

        var chosen = portfolio.Choose(Meta(5, 0.9), TuningTask.BinaryClassification, ["LightGbm"], count: 3);
        Assert.Equal([("near", 1), ("far", 1), ("near", 2)], chosen.Select(e => (e.Dataset, e.Rank)));
        Assert.Single(portfolio.Choose(Meta(5, 0.9), TuningTask.BinaryClassification, ["LightGbm"], count: 1));
        Assert.Empty(portfolio.Choose(Meta(5, 0.9), TuningTask.BinaryClassification, ["Sdca"]));
        Assert.Throws<ArgumentOutOfRangeException>(() => portfolio.Choose(near, TuningTask.BinaryClassification, ["LightGbm"], count: 0));
    }

    [Fact]
    public void A_new_study_starts_from_the_nearest_earlier_studys_best_configuration()
    {
        var storage = new InMemoryStorage();
        var tuner = new MLNetTuner(new MLContext(0));
        var source = tuner.Tune(TestData.Iris(), "target", new TuneOptions
        {
            Task = TuningTask.MulticlassClassification,
            Trainers = ["LightGbm", "FastTree"],
            Trials = 4,
            Seed = 1,
            Storage = storage,
            StudyName = "iris",
        });
        Assert.True(source.Study.UserAttrs.ContainsKey(DatasetMetaFeatures.AttributeKey));

        var portfolio = Portfolio.FromStorage(storage, configurationsPerStudy: 2);
        Assert.Equal(["iris"], portfolio.Datasets);
        var best = portfolio.Entries.Single(e => e.Rank == 0);
        Assert.Equal(source.Study.BestTrial.Number, best.TrialNumber);
        Assert.Equal(source.BestTrainer, best.Trainer);

        // A binary dataset: the trainer names are shared, so iris's best configuration is its first trial.
        var target = tuner.Tune(TestData.BreastCancer(), "target", new TuneOptions
        {
            Task = TuningTask.BinaryClassification,
            Trainers = ["LightGbm", "FastTree"],
            Trials = 2,
            Seed = 2,
            Storage = storage,
            StudyName = "breast_cancer",
            MetaLearnFrom = portfolio,
            MetaLearnConfigurations = 1,
        });
        var first = target.Study.Trials[0];
        Assert.Equal(best.Trainer, first.Params["trainer"]);
        foreach (var (name, value) in best.Parameters.Where(p => p.Key.StartsWith(best.Trainer + ".", StringComparison.Ordinal)))
        {
            Assert.Equal(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), Convert.ToDouble(first.Params[name], System.Globalization.CultureInfo.InvariantCulture), 9);
        }

        Assert.Equal("iris", first.UserAttrs["meta_learned_from"].GetString());
        var record = target.Study.UserAttrs[Portfolio.SourcesKey];
        Assert.Equal("iris", record.GetProperty("neighbours")[0].GetProperty("dataset").GetString());
        Assert.Equal("iris", record.GetProperty("configurations")[0].GetProperty("study").GetString());
        Assert.Empty(target.Warnings);
    }

    [Fact]
    public void An_empty_portfolio_is_a_warning_and_the_study_runs_anyway()
    {
        var result = new MLNetTuner(new MLContext(0)).Tune(TestData.Iris(), "target", new TuneOptions
        {
            Task = TuningTask.MulticlassClassification,
            Trainers = ["LightGbm"],
            Trials = 1,
            Storage = new InMemoryStorage(),
            MetaLearnFrom = Portfolio.FromStorage(new InMemoryStorage()),
        });
        Assert.Equal(1, result.TrialsComplete);
        Assert.Contains(result.Warnings, w => w.Contains("--meta-learn", StringComparison.Ordinal) && w.Contains("no earlier classification study", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_options_are_named()
    {
        var e = Assert.Throws<ArgumentException>(() => new MLNetTuner(new MLContext(0)).Tune(TestData.Iris(), "target", new TuneOptions
        {
            Task = TuningTask.MulticlassClassification,
            Trials = 1,
            MetaLearnFrom = new Portfolio([]),
            MetaLearnConfigurations = 0,
        }));
        Assert.Contains("MetaLearnConfigurations must be at least 1, got 0", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Portfolio.FromStorage(new InMemoryStorage(), 0));
    }

    private static double Std(params double[] v)
    {
        var mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
    }
}
