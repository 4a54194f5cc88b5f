using Hone.Samplers;
using Hone.Storage;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Dashboard.Tests;

/// <summary>Studies the dashboard shows in the tests: one with a conditional parameter and reports, one with two objectives, one with many trials.</summary>
internal static class Studies
{
    public static void Mixed(IStorage storage, string name = "mixed", int trials = 40)
    {
        using var study = Study.Create(new StudyOptions { Name = name, Storage = storage, Sampler = new RandomSampler(11) });
        study.SetUserAttr("dataset", "wine");
        study.Optimize(trial =>
        {
            var optimizer = trial.SuggestCategorical("optimizer", ["adam", "sgd"]);
            var lr = trial.SuggestFloat("lr", 1e-4, 1e-1, log: true);
            var value = Math.Pow(Math.Log10(lr) + 2.5, 2) + trial.SuggestInt("layers", 1, 4) * 0.1;
            if (optimizer == "sgd")
            {
                value += Math.Abs(trial.SuggestFloat("momentum", 0, 1) - 0.9);
            }

            for (var step = 0; step < 4; step++)
            {
                trial.Report(value + (1.0 / (step + 1)), step);
            }

            trial.SetUserAttr("fold_scores", new[] { value - 0.02, value + 0.02 });
            return value;
        }, new OptimizeOptions { Trials = trials });
    }

    public static void TwoObjectives(IStorage storage, string name = "two")
    {
        using var study = Study.Create(new StudyOptions { Name = name, Storage = storage, Directions = [StudyDirection.Minimize, StudyDirection.Minimize], Sampler = new RandomSampler(2) });
        study.Optimize(t =>
        {
            var x = t.SuggestFloat("x", 0, 1);
            return new[] { x, (1 + t.SuggestFloat("y", 0, 1)) * (1 - Math.Sqrt(x)) };
        }, new OptimizeOptions { Trials = 30 });
    }

    /// <summary>Many finished trials added directly (no objective run), numbered 0 to count − 1.</summary>
    public static void Many(IStorage storage, string name, int count)
    {
        using var study = Study.Create(new StudyOptions { Name = name, Storage = storage });
        var space = new Dictionary<string, Distributions.Distribution> { ["x"] = new Distributions.FloatDistribution(0, 1) };
        var random = new Random(1);
        for (var i = 0; i < count; i++)
        {
            var x = random.NextDouble();
            study.AddTrial(FrozenTrial.Create(new Dictionary<string, object?> { ["x"] = x }, space, [x * x]));
        }
    }
}
