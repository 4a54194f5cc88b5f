using System.Text.Json;
using Hone.MLNet.Resources;
using Hone.MLNet.Tuning;
using Hone.Storage;
using Hone.Trials;
using Microsoft.ML;

namespace Hone.MLNet.Tests.Resources;

/// <summary>Each trial's cost is recorded, per-trial limits fail the trial with the reason, and run budgets stop new trials.</summary>
public class TrialResourcesTests
{
    private static TuneOptions Options(int trials = 3, int parallelism = 1) => new()
    {
        Task = TuningTask.MulticlassClassification,
        Trainers = ["LbfgsMaximumEntropy"],
        Trials = trials,
        Parallelism = parallelism,
        Seed = 1,
        Storage = new InMemoryStorage(),
    };

    private static TuneResult Tune(TuneOptions options) => new MLNetTuner(new MLContext(0)).Tune(TestData.Iris(), "target", options);

    private static string? FailReason(FrozenTrial t) =>
        t.SystemAttrs.TryGetValue("fail_reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;

    [Fact]
    public void Every_trial_records_its_wall_and_cpu_time_memory_and_energy_and_how_they_were_obtained()
    {
        var result = Tune(Options(trials: 4, parallelism: 2));

        Assert.Equal(4, result.TrialsRun);
        foreach (var trial in result.Study.Trials)
        {
            var r = trial.UserAttrs[TrialResources.AttributeKey];
            Assert.True(r.GetProperty("wall_seconds").GetDouble() > 0);
            Assert.True(r.GetProperty("cpu_seconds").GetDouble() >= 0);
            Assert.True(r.GetProperty("peak_working_set_mb").GetDouble() > 1);
            Assert.True(r.GetProperty("peak_gc_heap_mb").GetDouble() > 0);
            Assert.True(r.GetProperty("energy_joules").GetDouble() > 0);
            Assert.False(string.IsNullOrEmpty(r.GetProperty("cpu_method").GetString()));
            Assert.Matches("^(measured: RAPL|estimate: CPU time x 12 W per core)", r.GetProperty("energy_method").GetString()!);
        }

        var totals = Assert.IsType<ResourceTotals>(result.Resources);
        Assert.True(totals.CpuSeconds > 0);
        Assert.True(totals.EnergyJoules > 0);
        Assert.Null(totals.BudgetStop);
        Assert.Contains("Cost of the trials:", result.FormatReport(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(result.ToJson());
        Assert.True(json.RootElement.GetProperty("resources").GetProperty("cpu_seconds").GetDouble() > 0);
    }

    [Fact]
    public void A_trial_past_its_time_limit_is_recorded_as_failed_with_the_limit_and_the_study_goes_on()
    {
        IStorage storage = new InMemoryStorage();
        var e = Assert.Throws<InvalidOperationException>(() => Tune(new TuneOptions
        {
            Task = TuningTask.MulticlassClassification, Trainers = ["LbfgsMaximumEntropy"], Trials = 2, Seed = 1, Storage = storage,
            StudyName = "limited", TrialTimeLimit = TimeSpan.FromMilliseconds(1),
        }));
        Assert.Contains("No trial completed (2 trials)", e.Message, StringComparison.Ordinal);
        Assert.Contains("ran longer than its time limit of 0.001 s", e.Message, StringComparison.Ordinal);

        var trials = storage.GetAllTrials(storage.FindStudy("limited")!.Value);
        Assert.Equal(2, trials.Count);
        Assert.All(trials, t =>
        {
            Assert.Equal(TrialState.Fail, t.State);
            Assert.Contains("--time-budget in hone tune", FailReason(t), StringComparison.Ordinal);
            Assert.True(t.UserAttrs.ContainsKey(TrialResources.AttributeKey), "a failed trial's cost is recorded too");
        });
    }

    [Fact]
    public void A_trial_running_above_the_memory_limit_is_recorded_as_failed_with_both_sizes()
    {
        IStorage storage = new InMemoryStorage();
        Assert.Throws<InvalidOperationException>(() => Tune(new TuneOptions
        {
            Task = TuningTask.MulticlassClassification, Trainers = ["LbfgsMaximumEntropy"], Trials = 1, Storage = storage,
            StudyName = "memory", TrialMemoryLimitBytes = 1 << 20,
        }));
        var trial = Assert.Single(storage.GetAllTrials(storage.FindStudy("memory")!.Value));
        Assert.Equal(TrialState.Fail, trial.State);
        Assert.Matches(@"the process's memory reached \d+ MB, above the limit of 1 MB \(TrialMemoryLimitBytes; --memory-limit in hone tune\)", FailReason(trial));
    }

    [Fact]
    public void A_spent_cpu_budget_starts_no_more_trials_and_says_so()
    {
        var result = Tune(new TuneOptions
        {
            Task = TuningTask.MulticlassClassification, Trainers = ["LbfgsMaximumEntropy"], Trials = 20, Storage = new InMemoryStorage(),
            CpuBudget = TimeSpan.FromMilliseconds(1),
        });
        Assert.Equal(1, result.TrialsRun);
        Assert.StartsWith("the trials used", result.Resources!.BudgetStop, StringComparison.Ordinal);
        Assert.Contains("Stopped starting trials early", result.FormatReport(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_spent_energy_budget_starts_no_more_trials_and_says_so()
    {
        var result = Tune(new TuneOptions
        {
            Task = TuningTask.MulticlassClassification, Trainers = ["LbfgsMaximumEntropy"], Trials = 20, Storage = new InMemoryStorage(),
            EnergyBudgetWattHours = 1e-9,
        });
        Assert.Equal(1, result.TrialsRun);
        Assert.Contains("energy budget", result.Resources!.BudgetStop, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_and_budgets_that_are_not_positive_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Tune(new TuneOptions
        {
            TrialTimeLimit = TimeSpan.Zero, TrialMemoryLimitBytes = 10, CpuBudget = TimeSpan.FromSeconds(-1), EnergyBudgetWattHours = 0, WattsPerCore = double.NaN,
        }));
        Assert.Contains("TrialTimeLimit must be positive", e.Message, StringComparison.Ordinal);
        Assert.Contains("TrialMemoryLimitBytes must be at least 1 MB", e.Message, StringComparison.Ordinal);
        Assert.Contains("CpuBudget must be positive", e.Message, StringComparison.Ordinal);
        Assert.Contains("EnergyBudgetWattHours must be a positive number", e.Message, StringComparison.Ordinal);
        Assert.Contains("WattsPerCore must be a positive number", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rapl_counters_are_read_in_joules_and_unwrapped()
    {
        using var dir = new TempDir();
        var zone = Directory.CreateDirectory(Path.Combine(dir.Path, "intel-rapl:0")).FullName;
        Directory.CreateDirectory(Path.Combine(dir.Path, "intel-rapl:0:0"));
        File.WriteAllText(Path.Combine(zone, "max_energy_range_uj"), "10000000");
        File.WriteAllText(Path.Combine(zone, "energy_uj"), "9000000");
        var rapl = RaplCounter.Open(dir.Path);
        Assert.NotNull(rapl);
        File.WriteAllText(Path.Combine(zone, "energy_uj"), "9500000");
        Assert.Equal(0.5, rapl.Joules(), 9);
        File.WriteAllText(Path.Combine(zone, "energy_uj"), "1000000"); // wrapped: 0.5 J to the top, then 1 J
        Assert.Equal(2.0, rapl.Joules(), 9);
        Assert.Null(RaplCounter.Open(Path.Combine(dir.Path, "missing")));
    }

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("hone-rapl-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
