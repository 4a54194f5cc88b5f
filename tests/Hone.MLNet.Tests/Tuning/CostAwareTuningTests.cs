using Hone.MLNet.Data;
using Hone.MLNet.SearchSpaces;
using Hone.MLNet.Tuning;
using Hone.Trials;
using Microsoft.ML;

namespace Hone.MLNet.Tests.Tuning;

/// <summary>Cost-aware tuning starts every trainer from its cheapest configuration; the task can be inferred from the label.</summary>
public class CostAwareTuningTests
{
    [Fact]
    public void A_new_study_first_runs_each_trainer_in_its_cheapest_configuration()
    {
        var result = new MLNetTuner(new MLContext(0)).Tune(TestData.Iris(), "target", new TuneOptions
        {
            Task = TuningTask.MulticlassClassification,
            Trainers = ["LightGbm", "SdcaMaximumEntropy"],
            Trials = 4,
            TunePreprocessing = false,
        });

        var first = result.Study.Trials.OrderBy(t => t.Number).Take(2).ToArray();
        Assert.Equal(["LightGbm", "SdcaMaximumEntropy"], first.Select(t => (string)t.Params["trainer"]!));
        Assert.All(first, t => Assert.Equal("low-cost", t.UserAttrs["hone.start"].GetString()));
        Assert.Equal(20, Convert.ToInt32(first[0].Params["LightGbm.NumberOfIterations"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(4, Convert.ToInt32(first[0].Params["LightGbm.NumberOfLeaves"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(5, Convert.ToInt32(first[1].Params["SdcaMaximumEntropy.MaximumNumberOfIterations"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(4, result.TrialsRun);
    }

    [Fact]
    public void Without_cost_awareness_no_trial_is_enqueued()
    {
        var result = new MLNetTuner(new MLContext(0)).Tune(TestData.Iris(), "target", new TuneOptions
        {
            Task = TuningTask.MulticlassClassification,
            Trainers = ["LightGbm", "SdcaMaximumEntropy"],
            Trials = 2,
            TunePreprocessing = false,
            CostAware = false,
        });

        Assert.All(result.Study.Trials, t => Assert.False(t.UserAttrs.ContainsKey("hone.start")));
    }

    [Fact]
    public void Low_cost_parameters_take_the_bottom_of_cost_ranges_and_defaults_elsewhere()
    {
        var space = TrainerSearchSpaces.FastTree(TuningTask.BinaryClassification);
        var start = space.LowCostParameters();
        Assert.Equal(20, start["FastTree.NumberOfTrees"]);
        Assert.Equal(4, start["FastTree.NumberOfLeaves"]);
        Assert.Equal(0.2, start["FastTree.LearningRate"]);
        Assert.Equal(["FastTree.NumberOfLeaves", "FastTree.NumberOfTrees"], space.CostParameterNames().Order());

        // A default outside the searched range (OGD's L2 of 0 on a log scale) is left to the sampler.
        Assert.False(TrainerSearchSpaces.OnlineGradientDescent().LowCostParameters().ContainsKey("OnlineGradientDescent.L2Regularization"));
    }

    [Theory]
    [InlineData("0,1,1,0", TuningTask.BinaryClassification)]
    [InlineData("true,false,TRUE,false", TuningTask.BinaryClassification)]
    [InlineData("1,2,2,1", TuningTask.MulticlassClassification)]
    [InlineData("0,1,2,9", TuningTask.MulticlassClassification)]
    [InlineData("cat,dog,cat,dog", TuningTask.MulticlassClassification)]
    [InlineData("0.5,1.25,3,4", TuningTask.Regression)]
    [InlineData("0,1,NA,1", TuningTask.BinaryClassification)]
    public void The_task_is_inferred_from_the_label(string labels, TuningTask expected)
    {
        var rows = labels.Split(',').Select((l, i) => $"{i},{l}");
        var table = TabularData.Parse("x,y\n" + string.Join("\n", rows));
        Assert.Equal(expected, TuningTasks.Infer(table, "y"));
    }

    [Fact]
    public void Many_distinct_integers_are_a_regression()
    {
        var table = TabularData.Parse("x,y\n" + string.Join("\n", Enumerable.Range(0, 40).Select(i => $"{i},{i * 3}")));
        Assert.Equal(TuningTask.Regression, TuningTasks.Infer(table, "y"));
    }

    [Fact]
    public void Inferring_from_an_empty_or_unknown_column_names_it()
    {
        var table = TabularData.Parse("x,y\n1,NA\n2,NA");
        Assert.Contains("\"y\" has no values", Assert.Throws<ArgumentException>(() => TuningTasks.Infer(table, "y")).Message);
        Assert.Contains("no column \"z\"", Assert.Throws<ArgumentException>(() => TuningTasks.Infer(table, "z")).Message);
    }
}
