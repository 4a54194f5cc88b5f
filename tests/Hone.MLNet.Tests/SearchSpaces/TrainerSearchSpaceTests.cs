using Hone.Distributions;
using Hone.MLNet.Data;
using Hone.MLNet.SearchSpaces;
using Hone.Samplers;
using Hone.Studies;
using Hone.Trials;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Hone.MLNet.Tests.SearchSpaces;

public class TrainerSearchSpaceTests
{
    public static TheoryData<TuningTask, string> Trainers()
    {
        var data = new TheoryData<TuningTask, string>();
        foreach (var task in Enum.GetValues<TuningTask>())
        {
            foreach (var name in TrainerSearchSpaces.Names(task))
            {
                data.Add(task, name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Trainers))]
    public void Corners_and_defaults_build_trainers_that_fit_and_predict(TuningTask task, string name)
    {
        var space = TrainerSearchSpaces.For(task, [name])[0];
        var (dataset, rows) = SmallData(task);
        var ml = new MLContext(0);
        var view = dataset.ToDataView(ml, rows);
        IReadOnlyDictionary<string, object?>?[] configurations = [null, Corner(space, low: true), Corner(space, low: false)];
        foreach (var configuration in configurations)
        {
            IReadOnlyDictionary<string, object?>? values = configuration is null ? null : space.Suggest(new FixedTrial(configuration));
            var scored = space.CreateEstimator(ml, values).Fit(view).Transform(view);
            if (task == TuningTask.MulticlassClassification)
            {
                Assert.All(scored.GetColumn<VBuffer<float>>("Score"), s => Assert.All(s.DenseValues(), v => Assert.True(float.IsFinite(v))));
            }
            else
            {
                Assert.All(scored.GetColumn<float>("Score"), v => Assert.True(float.IsFinite(v), $"{name}: score {v}"));
            }

            if (task == TuningTask.BinaryClassification)
            {
                Assert.All(scored.GetColumn<float>("Probability"), v => Assert.InRange(v, 0f, 1f));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Trainers))]
    public void Suggestions_are_named_by_trainer_and_lie_in_range_with_defaults_in_range(TuningTask task, string name)
    {
        var space = TrainerSearchSpaces.For(task, [name])[0];
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(seed: 1) });
        for (var i = 0; i < 5; i++)
        {
            var trial = study.Ask();
            var values = space.Suggest(trial);
            Assert.Equal(space.Parameters.Select(p => p.Name).Order(), values.Keys.Order());
            foreach (var p in space.Parameters)
            {
                Assert.True(trial.Params.ContainsKey($"{name}.{p.Name}"));
                Assert.True(p.Distribution.Contains(p.Distribution.ToInternal(values[p.Name])), $"{name}.{p.Name} = {values[p.Name]}");
            }

            study.Tell(trial, 0.0);
        }

        foreach (var p in space.Parameters.Where(p => p.Default is not null))
        {
            var zeroBelowLogRange = p.Default is 0.0 && p.Distribution is FloatDistribution { Log: true };
            Assert.True(zeroBelowLogRange || p.Distribution.Contains(p.Distribution.ToInternal(p.Default)), $"{name}.{p.Name} default {p.Default} outside {p.Distribution}");
        }
    }

    [Fact]
    public void Each_task_has_the_documented_trainers()
    {
        Assert.Equal(["LightGbm", "FastTree", "FastForest", "SdcaLogisticRegression", "LbfgsLogisticRegression"], TrainerSearchSpaces.Names(TuningTask.BinaryClassification));
        Assert.Equal(["LightGbm", "FastTree", "FastForest", "SdcaMaximumEntropy", "LbfgsMaximumEntropy"], TrainerSearchSpaces.Names(TuningTask.MulticlassClassification));
        Assert.Equal(["LightGbm", "FastTree", "FastForest", "Sdca", "OnlineGradientDescent", "LbfgsPoissonRegression"], TrainerSearchSpaces.Names(TuningTask.Regression));
    }

    [Fact]
    public void A_range_can_be_replaced_and_unknown_options_are_rejected()
    {
        var space = TrainerSearchSpaces.LightGbm(TuningTask.BinaryClassification)
            .WithParameter(new HyperParameter("NumberOfLeaves", new IntDistribution(4, 16), 8));
        Assert.Equal(new IntDistribution(4, 16), space.Parameters.Single(p => p.Name == "NumberOfLeaves").Distribution);
        var e = Assert.Throws<ArgumentException>(() => space.WithParameter(new HyperParameter("Leaves", new IntDistribution(4, 16), 8)));
        Assert.Contains("NumberOfLeaves", e.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, object?> Corner(TrainerSearchSpace space, bool low)
    {
        var values = new Dictionary<string, object?>();
        foreach (var p in space.Parameters)
        {
            values[space.ParameterName(p)] = p.Distribution switch
            {
                FloatDistribution f => low ? f.Low : f.High,
                IntDistribution i => low ? i.Low : i.High,
                CategoricalDistribution c => low ? c.Choices[0] : c.Choices[^1],
                _ => throw new NotSupportedException(),
            };
        }

        return values;
    }

    private static (Dataset Data, int[] Rows) SmallData(TuningTask task)
    {
        return task switch
        {
            TuningTask.BinaryClassification => (Dataset.FromDataView(TestData.View(TestData.BreastCancer()), "target", task, []), Enumerable.Range(0, 150).ToArray()),
            TuningTask.MulticlassClassification => (Dataset.FromDataView(TestData.View(TestData.Iris()), "target", task, []), Enumerable.Range(0, 150).ToArray()),
            _ => (Dataset.FromDataView(TestData.View(TestData.Regression()), "y", task, []), Enumerable.Range(0, 120).ToArray()),
        };
    }
}
