using System.Globalization;
using Hone.Artifacts;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Tests;

public sealed class PbtCliTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// A "training" program: the weight starts from the checkpoint file (or 0), moves lr·(1 − w) per step from start_step
    /// to end_step, is written to the output checkpoint, and printed as the score, with a report per step.
    /// </summary>
    private void WriteTrainer() => _dir.Write("train.sh", """
        #!/bin/sh
        # usage: train.sh LR START END (checkpoints from the environment)
        w=0
        if [ -n "$HONE_CHECKPOINT_IN" ]; then w=$(cat "$HONE_CHECKPOINT_IN"); fi
        awk -v w="$w" -v lr="$1" -v s="$2" -v e="$3" -v out="$HONE_CHECKPOINT_OUT" 'BEGIN {
          for (i = s; i < e; i++) { w = w + lr * (1 - w); printf "hone:report step=%d value=%.17g\n", i, w }
          printf "%.17g\n", w > out
          printf "{\"score\": %.17g}\n", w
        }'
        """);

    private const string Sweep = """
        study: p
        direction: maximize
        metric: score
        sampler: {name: random, seed: 3}
        scheduler: {name: pbt, population: 3, interval: 2, generations: 3, seed: 1}
        parameters:
          lr: {type: float, low: 0.01, high: 0.5, log: true}
        command: [./train.sh, "{lr}", "{start_step}", "{end_step}"]
        jobs: 2
        """;

    private static double Train(double w, double lr, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            w += lr * (1 - w);
        }

        return w;
    }

    [Theory]
    [InlineData("perturb")]
    [InlineData("pb2")]
    public async Task SchedulerPbt_EachSegmentStartsFromItsParentsCheckpoint_EveryMemberFinishes(string explore)
    {
        WriteTrainer();
        _dir.Write("sweep.yaml", Sweep.Replace("seed: 1}", $"seed: 1, explore: {explore}}}", StringComparison.Ordinal));

        var result = await CliRunner.RunAsync("optimize", _dir["sweep.yaml"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var study = Study.Load("p", _dir.StorageUrl);
        var segments = study.GetTrials(TrialState.Complete);
        Assert.Equal(segments.Count, study.Trials.Count);
        Assert.Equal(3, segments.Select(t => t.SystemAttrs["pbt:member"].GetInt32()).Distinct().Count());
        Assert.All(segments.GroupBy(t => t.SystemAttrs["pbt:member"].GetInt32()), m => Assert.Equal(2, m.Max(t => t.SystemAttrs["pbt:generation"].GetInt32())));
        foreach (var t in segments)
        {
            var lr = (double)t.Params["lr"]!;
            var start = t.SystemAttrs.TryGetValue("checkpoint_from", out var from) ? study.Trials[from.GetInt32()].Value!.Value : 0.0;
            Assert.Equal(Train(start, lr, 2), t.Value!.Value, 9);
            Assert.Equal(t.SystemAttrs["pbt:start_step"].GetInt32() + 1, t.IntermediateValues.Keys.Max());
            var saved = study.LoadCheckpoint(t.Number);
            Assert.NotNull(saved);
            Assert.Equal(t.Value!.Value, double.Parse(System.Text.Encoding.UTF8.GetString(saved.Data.Span), CultureInfo.InvariantCulture), 12);
        }
    }

    [Theory]
    [InlineData("scheduler: {name: pbt, quantile: 0.9}", "scheduler.quantile must be in (0, 0.5]")]
    [InlineData("scheduler: {name: pbt, population: 1}", "scheduler.population must be an integer ≥ 2")]
    [InlineData("scheduler: {name: pbt, intervals: 3}", "unknown key \"intervals\" in scheduler")]
    [InlineData("scheduler: pbtt", "unknown scheduler \"pbtt\"; known: none, pbt")]
    [InlineData("scheduler: {name: pbt, explore: pb3}", "unknown scheduler.explore \"pb3\"; known: perturb, pb2")]
    [InlineData("scheduler: pb2", "write scheduler: {name: pbt, explore: pb2}")]
    [InlineData("scheduler: pbt\npruner: median", "scheduler: pbt decides which members go on; remove the pruner")]
    public async Task SchedulerProblems_AreNamedInTheUsersTerms(string extra, string expected)
    {
        var result = await _dir.CheckAsync(TempFolder.GoodSweep + "\n" + extra + "\n");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.Error + result.Output, StringComparison.Ordinal);
    }
}
