using System.Diagnostics;
using System.Text.Json;
using Hone.Samplers;
using Hone.Storage;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Studies;

/// <summary>
/// A trial finished by another process while its worker runs it (failed as stale, say) is not a crash: the worker
/// learns it, stops the trial, writes nothing more on it and goes on. And every trial is born with its worker and a
/// heartbeat, so a worker killed at any instant leaves a trial that is found dead.
/// </summary>
public sealed class HeartbeatTests
{
    private static readonly TimeSpan Beat = TimeSpan.FromMilliseconds(30);

    private static (Study Study, InMemoryStorage Storage) NewStudy(TimeSpan? grace = null)
    {
        var storage = new InMemoryStorage();
        var study = Study.Create(new StudyOptions
        {
            Name = "hb", Storage = storage, Sampler = new RandomSampler(1), HeartbeatInterval = Beat, GracePeriod = grace ?? TimeSpan.FromMinutes(5),
        });
        return (study, storage);
    }

    /// <summary>What another process does to a trial it found dead.</summary>
    private static void FailElsewhere(IStorage storage, Trial trial, string reason) =>
        storage.SetTrialStateValues(((LiveTrial)trial).TrialId, TrialState.Fail, null,
            new Dictionary<string, JsonElement> { ["fail_reason"] = JsonSerializer.SerializeToElement(reason) });

    [Fact]
    public void Optimize_SyncObjective_TrialFailedElsewhere_StopsThroughShouldPrune_KeepsItsReason_RunGoesOn()
    {
        var (study, storage) = NewStudy();
        using (study)
        {
            study.Optimize(trial =>
            {
                var x = trial.SuggestFloat("x", 0, 1);
                if (trial.Number == 1)
                {
                    FailElsewhere(storage, trial, "found dead by another worker");
                    var clock = Stopwatch.StartNew();
                    while (!trial.ShouldPrune())
                    {
                        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the next heartbeat tells the trial");
                        Thread.Sleep(5);
                    }

                    Assert.True(trial.FinishedElsewhere.IsCancellationRequested);
                    throw new TrialPrunedException();
                }

                return x;
            }, new OptimizeOptions { Trials = 5 });

            var trials = study.Trials;
            Assert.Equal(5, trials.Count);
            Assert.Equal(TrialState.Fail, trials[1].State);
            Assert.Equal("found dead by another worker", trials[1].SystemAttrs["fail_reason"].GetString());
            Assert.Equal(4, trials.Count(t => t.State == TrialState.Complete));
        }
    }

    [Fact]
    public async Task OptimizeAsync_TrialFailedElsewhere_CancelsItsToken_NothingMoreIsWritten_RunGoesOn()
    {
        var (study, storage) = NewStudy();
        using (study)
        {
            await study.OptimizeAsync(async (trial, ct) =>
            {
                var x = trial.SuggestFloat("x", 0, 1);
                if (trial.Number == 0)
                {
                    FailElsewhere(storage, trial, "stale");
                    await Task.Delay(Timeout.Infinite, ct); // cancelled by the next heartbeat
                }

                return x;
            }, new OptimizeOptions { Trials = 3, Parallelism = 2 });

            var trials = study.Trials;
            Assert.Equal("stale", trials[0].SystemAttrs["fail_reason"].GetString());
            Assert.Empty(trials[0].Params.Keys.Except(["x"]));
            Assert.Equal(2, trials.Count(t => t.State == TrialState.Complete));
        }
    }

    [Fact]
    public void Optimize_ObjectiveReturnsAfterItsTrialWasFailedElsewhere_TellIsDropped_NoCrash_ReasonKept()
    {
        var (study, storage) = NewStudy();
        using (study)
        {
            study.Optimize(trial =>
            {
                var x = trial.SuggestFloat("x", 0, 1);
                if (trial.Number == 0)
                {
                    FailElsewhere(storage, trial, "stale");
                }

                return x; // at once: no heartbeat has told the trial yet, so the tell itself finds it finished
            }, new OptimizeOptions { Trials = 3 });

            Assert.Equal(TrialState.Fail, study.Trials[0].State);
            Assert.Equal("stale", study.Trials[0].SystemAttrs["fail_reason"].GetString());
            Assert.Equal(2, study.Trials.Count(t => t.State == TrialState.Complete));
        }
    }

    [Fact]
    public void Optimize_ObjectiveThrowsAfterItsTrialWasFailedElsewhere_FailReasonIsNotOverwritten()
    {
        var (study, storage) = NewStudy();
        using (study)
        {
            study.Optimize(trial =>
            {
                trial.SuggestFloat("x", 0, 1);
                if (trial.Number == 0)
                {
                    FailElsewhere(storage, trial, "stale");
                    throw new InvalidOperationException("the objective's own error, after the trial was failed elsewhere");
                }

                return 1;
            }, new OptimizeOptions { Trials = 2 });

            Assert.Equal("stale", study.Trials[0].SystemAttrs["fail_reason"].GetString());
            Assert.Equal(TrialState.Complete, study.Trials[1].State);
        }
    }

    [Fact]
    public void AskTell_TellOnATrialFailedElsewhere_ThrowsTrialFinished_WritesNothing()
    {
        var (study, storage) = NewStudy();
        using (study)
        {
            var trial = study.Ask();
            trial.SuggestFloat("x", 0, 1);
            FailElsewhere(storage, trial, "stale");
            Assert.Throws<TrialFinishedException>(() => study.TellFail(trial, "my reason"));
            Assert.Throws<TrialFinishedException>(() => study.Tell(trial, 1.0));
            Assert.Equal("stale", study.Trials[0].SystemAttrs["fail_reason"].GetString());
            Assert.Equal(TrialState.Fail, study.Trials[0].State);
        }
    }

    [Fact]
    public void Ask_WithHeartbeats_TrialIsBornWithItsWorkerAndAHeartbeat()
    {
        var storage = new InMemoryStorage();
        var options = new StudyOptions { Name = "born", Storage = storage, HeartbeatInterval = TimeSpan.FromHours(1) };
        var study = Study.Create(options);
        var trial = study.Ask();
        study.Dispose(); // the worker "dies" before its first scheduled beat, an hour away

        var stored = storage.GetTrial(((LiveTrial)trial).TrialId);
        var worker = stored.SystemAttrs["hone_worker"];
        Assert.Equal(Environment.ProcessId, worker.GetProperty("pid").GetInt32());

        // Seen from elsewhere (no liveness check), the birth heartbeat ages past the grace period and the trial is failed.
        Thread.Sleep(120);
        var failed = storage.FailStaleTrials(study.StudyId, TimeSpan.FromMilliseconds(50));
        Assert.Equal(stored.Number, Assert.Single(failed).Number);
    }

    [Fact]
    public void FailStaleTrials_WorkerOnThisMachineIsGone_FailsAtOnce_LiveWorkerIsNeverFailed_WhateverItsHeartbeat()
    {
        var (study, storage) = NewStudy();
        using (study)
        {
            var live = study.Ask();
            var liveWorker = storage.GetTrial(((LiveTrial)live).TrialId).SystemAttrs["hone_worker"];

            // A trial whose worker process has exited: same machine, a pid that no longer runs.
            using var exited = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
            exited.WaitForExit();
            var dead = JsonSerializer.SerializeToElement(new Dictionary<string, object?>
            {
                ["host"] = liveWorker.GetProperty("host").GetString(), ["pid"] = exited.Id, ["start"] = "1",
            });
            var orphan = storage.CreateTrial(study.StudyId, null, new TrialClaim { SystemAttrs = new Dictionary<string, JsonElement> { ["hone_worker"] = dead } });

            Thread.Sleep(50); // both heartbeats are now older than a 1 ms grace
            var failed = storage.FailStaleTrials(study.StudyId, TimeSpan.FromMilliseconds(1), null, WorkerIdentity.IsAlive);

            Assert.Equal(orphan.Number, Assert.Single(failed).Number);
            Assert.Contains("no longer running", failed[0].SystemAttrs["fail_reason"].GetString(), StringComparison.Ordinal);
            Assert.Equal(TrialState.Running, storage.GetTrial(((LiveTrial)live).TrialId).State);
        }
    }

    [Fact]
    public void RecordHeartbeat_OnAFinishedTrial_ReturnsFalse_AndWritesNothing()
    {
        var storage = new InMemoryStorage();
        var id = storage.CreateStudy("s", [StudyDirection.Minimize]);
        var trial = storage.CreateTrial(id);
        Assert.True(storage.RecordHeartbeat(trial.TrialId));
        storage.SetTrialStateValues(trial.TrialId, TrialState.Complete, [1.0]);
        Assert.False(storage.RecordHeartbeat(trial.TrialId));
    }

    [Fact]
    public void Dispose_StopsTheHeartbeats_AndIsIdempotent()
    {
        var (study, storage) = NewStudy();
        var trial = study.Ask();
        study.Dispose();
        study.Dispose();
        Thread.Sleep(300);
        Assert.Single(storage.FailStaleTrials(study.StudyId, TimeSpan.FromMilliseconds(100)));
        Assert.Equal(TrialState.Fail, storage.GetTrial(((LiveTrial)trial).TrialId).State);
    }
}
