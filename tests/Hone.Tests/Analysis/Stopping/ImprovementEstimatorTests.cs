using Hone.Analysis.Stopping;
using Hone.Samplers;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Analysis.Stopping;

public class ImprovementEstimatorTests
{
    /// <summary>A smooth bowl whose minimum is 0 at (0.3, 0.6); each trial reports five fold scores around its value with the given spread.</summary>
    private static double Bowl(Trial trial, double foldSpread, Random noise)
    {
        var x = trial.SuggestFloat("x", 0, 1);
        var y = trial.SuggestFloat("y", 0, 1);
        var value = ((x - 0.3) * (x - 0.3)) + ((y - 0.6) * (y - 0.6));
        var folds = Enumerable.Range(0, 5).Select(_ => value + (foldSpread * ((2 * noise.NextDouble()) - 1))).ToArray();
        trial.SetUserAttr(ImprovementEstimator.FoldScoresKey, folds);
        return value;
    }

    private static Study Run(int trials, double foldSpread, int seed = 3)
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(seed) });
        var noise = new Random(seed);
        study.Optimize(t => Bowl(t, foldSpread, noise), new OptimizeOptions { Trials = trials });
        return study;
    }

    [Fact]
    public void Estimate_ConvergedStudyWithNoisyFolds_SaysStop()
    {
        var study = Run(80, foldSpread: 0.2);

        var estimate = ImprovementEstimator.Estimate(study)!;

        Assert.True(estimate.ShouldStop, $"bound {estimate.RegretBound} vs noise {estimate.Noise}");
        Assert.Equal(study.BestTrial.Number, estimate.BestTrialNumber);
        Assert.Contains("fold", estimate.NoiseSource, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_FewTrialsWithPreciseFolds_SaysContinue()
    {
        var study = Run(20, foldSpread: 1e-6);

        var estimate = ImprovementEstimator.Estimate(study)!;

        Assert.False(estimate.ShouldStop, $"bound {estimate.RegretBound} vs noise {estimate.Noise}");
        Assert.True(estimate.RegretBound > 0);
    }

    [Fact]
    public void Estimate_BeforeMinTrials_IsNull()
    {
        var study = Run(10, foldSpread: 0.2);

        Assert.Null(ImprovementEstimator.Estimate(study));
        Assert.NotNull(ImprovementEstimator.Estimate(study, new ImprovementEstimateOptions { MinTrials = 10 }));
    }

    [Fact]
    public void FoldNoise_IsTheCorrectedStandardDeviationOfTheFolds()
    {
        double[] scores = [0.8, 0.9, 1.0, 1.3];
        var trial = FrozenTrial.Create(new Dictionary<string, object?>(), new Dictionary<string, Hone.Distributions.Distribution>(), [1.0]) with
        {
            UserAttrs = new Dictionary<string, System.Text.Json.JsonElement> { [ImprovementEstimator.FoldScoresKey] = System.Text.Json.JsonSerializer.SerializeToElement(scores) },
        };
        var mean = scores.Average();
        var variance = scores.Select(s => (s - mean) * (s - mean)).Average();

        var (noise, folds) = ImprovementEstimator.FoldNoise(trial)!.Value;

        Assert.Equal(4, folds);
        Assert.Equal(Math.Sqrt(((1.0 / 4) + (1.0 / 3)) * variance), noise, 12);
    }

    [Fact]
    public void Stopper_StopsANoisyStudyEarly_AndLeavesAPreciseOneRunning()
    {
        var noisy = Study.Create(new StudyOptions { Sampler = new RandomSampler(5) });
        var precise = Study.Create(new StudyOptions { Sampler = new RandomSampler(5) });
        var noisyStopper = new ImprovementStopper();
        var preciseStopper = new ImprovementStopper();
        var random = new Random(5);

        noisy.Optimize(t => Bowl(t, 0.5, random), new OptimizeOptions { Trials = 200, Callbacks = [noisyStopper.OnTrialFinished] });
        precise.Optimize(t => Bowl(t, 1e-9, random), new OptimizeOptions { Trials = 30, Callbacks = [preciseStopper.OnTrialFinished] });

        Assert.True(noisyStopper.Stopped);
        Assert.InRange(noisy.Trials.Count, 20, 199);
        Assert.False(preciseStopper.Stopped);
        Assert.Equal(30, precise.Trials.Count);
        Assert.NotNull(preciseStopper.LastEstimate);
    }

    [Fact]
    public void Options_OutOfRange_AreNamedInOneMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => new ImprovementStopper(new ImprovementEstimateOptions { MinTrials = 1, Delta = 2 }));

        Assert.Contains("MinTrials", e.Message, StringComparison.Ordinal);
        Assert.Contains("Delta", e.Message, StringComparison.Ordinal);
    }
}
