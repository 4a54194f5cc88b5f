using System.Text.Json;
using Hone.Distributions;
using Hone.MLNet.Selection;
using Hone.MLNet.Tuning;
using Hone.MLNet.Validation;
using Hone.Studies;
using Hone.Trials;
using Microsoft.ML;

namespace Hone.MLNet.Tests.Selection;

public class ReevaluationTests
{
    private static readonly IReadOnlyList<int> Rows = Enumerable.Range(0, 100).ToArray();
    private static readonly IReadOnlyList<double> Labels = Rows.Select(r => (double)(r % 2)).ToArray();

    private static IReadOnlyList<Fold> Split(int seed) => ValidationStrategy.KFold(5).Split(Rows, Labels, classification: false, seed);

    /// <summary>A scorer whose fresh score is the candidate's true level plus a fold-dependent wobble.</summary>
    private static Func<int, Fold, CancellationToken, double> Levels(params double[] levels) =>
        (c, fold, _) => levels[c] + (0.01 * ((fold.ValidRows[0] % 7) - 3));

    [Fact]
    public void WithinBudget_KeepsTheBestWhateverItCosts_AndThenTheCandidatesThatFitAQuarterOfTheTuningCpu()
    {
        var study = Study.Create(new StudyOptions { Direction = StudyDirection.Maximize });
        double[] cpu = [1, 2, 10, 1, 1];
        for (var i = 0; i < cpu.Length; i++)
        {
            var trial = study.Ask();
            trial.SetUserAttr("cpu", cpu[i]);
            study.Tell(trial, 1.0 - (0.01 * i));
        }

        static double? Cpu(FrozenTrial t) => t.UserAttrs["cpu"].GetDouble();
        var ranked = study.Trials.OrderBy(t => t.Number).ToList();

        // Budget 0.25 × 40 = 10 CPU seconds; each candidate costs its trial's CPU × 2 repeats: 2, 4, (20 skipped), 2, 2.
        Assert.Equal([0, 1, 3, 4], Reevaluation.WithinBudget(ranked, tuningCpuSeconds: 40, repeats: 2, Cpu).Select(t => t.Number));

        // A best trial dearer than the whole budget is still re-evaluated, alone.
        Assert.Equal([2], Reevaluation.WithinBudget([ranked[2], ranked[0]], tuningCpuSeconds: 40, repeats: 2, Cpu).Select(t => t.Number));
    }

    [Fact]
    public void Race_WinnerIsTheBestOnFreshFolds_NotTheBestTuned_AndTheGapIsTheTopTrialsTunedMinusFreshMean()
    {
        Reevaluation.Candidate[] candidates = [new(10, "A", 0.95), new(11, "B", 0.90), new(12, "C", 0.89)];
        var result = Reevaluation.Race(candidates, 3, [1001, 2001, 3001], Split, Levels(0.80, 0.88, 0.50),
            StudyDirection.Maximize, foldsPerTrial: 5, parallelism: 2, bootstrapSeed: 3, progress: null, CancellationToken.None);

        Assert.Equal(11, result.WinnerTrialNumber);
        Assert.Equal(10, result.TopTrialNumber);
        Assert.True(result.WinnerChanged);
        var byTrial = result.Candidates.ToDictionary(c => c.TrialNumber);
        Assert.Equal(ReevaluationStatus.Winner, byTrial[11].Status);
        Assert.Equal(15, byTrial[11].FoldScores.Count);

        // C is far worse than the leader on every fold: dropped after the first repeat, so it cost 5 fits, not 15.
        Assert.Equal(ReevaluationStatus.Eliminated, byTrial[12].Status);
        Assert.Equal(1, byTrial[12].EliminatedAfterRepeat);
        Assert.Equal(5, byTrial[12].FoldScores.Count);
        Assert.Equal(result.Candidates.Sum(c => c.FoldScores.Count), result.Fits);

        var topFresh = byTrial[10].FoldScores.Average();
        Assert.Equal(topFresh, byTrial[10].Mean, 12);
        Assert.Equal(0.95 - topFresh, result.Gap, 12);
        Assert.InRange(result.Gap, result.GapCiLow, result.GapCiHigh);
        Assert.Equal(byTrial[10].FoldScores.Count, result.GapFolds);
        Assert.Equal(result.Fits / 5.0, result.TrialsWorth, 9);
    }

    [Fact]
    public void Race_MinimizedMetric_GapIsPositiveWhenTheTunedScoreWasOptimistic_AndAFailingFitLeavesTheRace()
    {
        Reevaluation.Candidate[] candidates = [new(0, "A", 1.0), new(1, "B", 1.1), new(2, "C", 1.2)];
        var levels = Levels(1.2, 1.15, 1.3);
        var progress = new List<ReevaluationProgress>();
        var result = Reevaluation.Race(candidates, 3, [7, 8], Split,
            (c, fold, ct) => c == 2 && fold.Index == 3 ? throw new InvalidOperationException("diverged") : levels(c, fold, ct),
            StudyDirection.Minimize, 5, 1, 0, new SyncProgress<ReevaluationProgress>(progress.Add), CancellationToken.None);

        Assert.True(result.Gap > 0);
        Assert.Equal(result.Candidates[0].FoldScores.Average() - 1.0, result.Gap, 12);
        Assert.Equal(ReevaluationStatus.Failed, result.Candidates[2].Status);
        Assert.Contains("diverged", result.Candidates[2].FailReason, StringComparison.Ordinal);
        Assert.Empty(result.Candidates[2].FoldScores);
        Assert.Equal(1, result.WinnerTrialNumber);
        Assert.Equal([1, 2], progress.Select(p => p.Repeat));
        Assert.Equal(result.Fits, progress[^1].Fits);
    }

    [Fact]
    public void TopDistinct_SkipsRepeatedConfigurations_AndRanksInTheMetricsDirection()
    {
        var space = new Dictionary<string, Distribution> { ["x"] = new FloatDistribution(0, 1) };
        FrozenTrial T(double x, double value) => FrozenTrial.Create(new Dictionary<string, object?> { ["x"] = x }, space, [value]);
        FrozenTrial[] trials = [T(0.1, 0.5), T(0.2, 0.9), T(0.2, 0.9), T(0.3, 0.7), T(0.4, 0.8)];

        Assert.Equal([0.2, 0.4, 0.3], Reevaluation.TopDistinct(trials, StudyDirection.Maximize, 3).Select(t => (double)t.Params["x"]!));
        Assert.Equal([0.1, 0.3], Reevaluation.TopDistinct(trials, StudyDirection.Minimize, 2).Select(t => (double)t.Params["x"]!));
    }

    [Fact]
    public void Defaults_OnForSmallData_OffAboveTheThreshold_AndZeroTurnsItOff()
    {
        Assert.Equal(ReevaluationDefaults.Top, ReevaluationDefaults.TopFor(null, ReevaluationDefaults.AutomaticMaxRows));
        Assert.Equal(0, ReevaluationDefaults.TopFor(null, ReevaluationDefaults.AutomaticMaxRows + 1));
        Assert.Equal(0, ReevaluationDefaults.TopFor(0, 100));
        Assert.Equal(3, ReevaluationDefaults.TopFor(3, 1_000_000));
        var bad = Assert.Throws<ArgumentException>(() => new MLNetTuner(new MLContext(0)).Tune(TestData.Iris(), "target",
            new TuneOptions { Task = TuningTask.MulticlassClassification, ReevaluateTop = -1, ReevaluationRepeats = 0 }));
        Assert.Contains("ReevaluateTop must be from 0 (off) to 100, got -1", bad.Message, StringComparison.Ordinal);
        Assert.Contains("ReevaluationRepeats must be from 1 to 100, got 0", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tune_ReevaluatesOnFreshFolds_RefitsTheWinner_AndRecordsScoresGapAndCost()
    {
        var options = new TuneOptions
        {
            Task = TuningTask.MulticlassClassification,
            Trainers = ["LbfgsMaximumEntropy"],
            Trials = 6,
            Seed = 4,
            Pruner = new Hone.Pruners.NopPruner(),
            ReevaluateTop = 3,
            ReevaluationRepeats = 2,
        };
        var result = new MLNetTuner(new MLContext(0)).Tune(TestData.Iris(), "target", options);
        var re = result.Reevaluation;
        Assert.NotNull(re);
        Assert.Null(result.ReevaluationSkipped);

        // Fresh splits: new seeds, other validation rows than the tuning folds, no test row anywhere.
        Assert.DoesNotContain(result.Seeds.Folds, re.FoldSeeds);
        var tuningFolds = options.ResolvedValidation.Split(result.TuningRows, IrisLabels(), classification: true, result.Seeds.Folds);
        Assert.Equal(result.Folds.Select(f => f.ValidRows.ToArray()), tuningFolds.Select(f => f.ValidRows.ToArray()));
        foreach (var seed in re.FoldSeeds)
        {
            var fresh = options.ResolvedValidation.Split(result.TuningRows, IrisLabels(), classification: true, seed);
            Assert.Equal(result.Folds.Count, fresh.Count);
            Assert.NotEqual(result.Folds.Select(f => f.ValidRows.ToArray()), fresh.Select(f => f.ValidRows.ToArray()));
            Assert.All(fresh, f => Assert.Empty(f.TrainRows.Concat(f.ValidRows).Intersect(result.TestRows)));
        }

        // The refit trial is the best surviving mean on the fresh folds; the top tuned trial is the study's best.
        Assert.Equal(re.WinnerTrialNumber, result.BestTrialNumber);
        var survivors = re.Candidates.Where(c => c.Status is ReevaluationStatus.Winner or ReevaluationStatus.Survived).ToList();
        Assert.Equal(survivors.Max(c => c.Mean), re.Candidates.Single(c => c.Status == ReevaluationStatus.Winner).Mean);
        Assert.Equal(result.Study.BestTrial.Number, re.TopTrialNumber);
        Assert.Equal(re.Candidates[0].TunedValue - re.Candidates[0].Mean, re.Gap, 12);

        // Recorded on the trials and the study, and shown in the report and the summary.
        foreach (var c in re.Candidates)
        {
            var attr = result.Study.Trials[c.TrialNumber].UserAttrs[Reevaluation.TrialAttr];
            Assert.Equal(c.FoldScores, attr.GetProperty("fold_scores").EnumerateArray().Select(x => x.GetDouble()));
        }

        Assert.Equal(re.WinnerTrialNumber, result.Study.UserAttrs[Reevaluation.StudyAttr].GetProperty("winner").GetInt32());
        Assert.Equal(re.Fits, re.Candidates.Sum(c => c.FoldScores.Count));
        Assert.Contains("Winner's-curse gap of trial #", result.FormatReport(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(result.ToJson());
        var summary = json.RootElement.GetProperty("reevaluation");
        Assert.True(summary.GetProperty("ran").GetBoolean());
        Assert.Equal(re.Gap, summary.GetProperty("gap").GetDouble(), 12);
        Assert.Equal(re.Fits, summary.GetProperty("fits").GetInt32());
    }

    [Fact]
    public void Tune_ReevaluateTopZero_TurnsItOff_AndSaysSo()
    {
        var result = new MLNetTuner(new MLContext(0)).Tune(TestData.Iris(), "target", new TuneOptions
        {
            Task = TuningTask.MulticlassClassification,
            Trainers = ["LbfgsMaximumEntropy"],
            Trials = 2,
            ReevaluateTop = 0,
        });
        Assert.Null(result.Reevaluation);
        Assert.Equal(result.Study.BestTrial.Number, result.BestTrialNumber);
        Assert.Contains("--reevaluate 0", result.ReevaluationSkipped, StringComparison.Ordinal);
        Assert.Contains("Re-evaluation on fresh folds: off", result.FormatReport(), StringComparison.Ordinal);
        Assert.DoesNotContain(result.Study.Trials, t => t.UserAttrs.ContainsKey(Reevaluation.TrialAttr));
    }

    private static double[] IrisLabels() => [.. Enumerable.Range(0, 150).Select(i => (double)(i / 50))];

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
