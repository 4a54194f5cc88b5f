using Hone.Samplers;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Report.Tests;

/// <summary>Small studies with what the plots must cope with: a conditional parameter, a categorical and a log one, reports, pruned and failed trials.</summary>
internal static class SampleStudies
{
    /// <summary>The number of trials that have the conditional parameter <c>momentum</c> (only the "sgd" ones).</summary>
    public static int WithMomentum(Study study) => study.GetTrials(TrialState.Complete).Count(t => t.Params.ContainsKey("momentum"));

    public static Study Conditional(int trials = 40)
    {
        var study = Study.Create(new StudyOptions { Name = "conditional", Sampler = new RandomSampler(7) });
        study.Optimize(trial =>
        {
            var optimizer = trial.SuggestCategorical("optimizer", ["adam", "sgd"]);
            var lr = trial.SuggestFloat("lr", 1e-4, 1e-1, log: true);
            var layers = trial.SuggestInt("layers", 1, 4);
            var value = Math.Pow(Math.Log10(lr) + 2.5, 2) + (0.1 * layers);
            if (optimizer == "sgd")
            {
                value += Math.Abs(trial.SuggestFloat("momentum", 0, 1) - 0.9);
            }

            for (var step = 0; step < 3; step++)
            {
                trial.Report(value + (1.0 / (step + 1)), step);
            }

            if (trial.Number % 13 == 5)
            {
                throw new TrialPrunedException();
            }

            trial.SetUserAttr("fold_scores", new[] { value - 0.05, value, value + 0.05 });
            return value;
        }, new OptimizeOptions { Trials = trials });
        return study;
    }

    public static Study TwoObjectives(int trials = 30)
    {
        var study = Study.Create(new StudyOptions { Name = "two", Directions = [StudyDirection.Minimize, StudyDirection.Minimize], Sampler = new RandomSampler(3) });
        study.Optimize(trial =>
        {
            var x = trial.SuggestFloat("x", 0, 1);
            var y = trial.SuggestFloat("y", 0, 1);
            return new[] { x, ((1 + y) * (1 - Math.Sqrt(x))) };
        }, new OptimizeOptions { Trials = trials });
        return study;
    }
}
