using Hone.Artifacts;
using Hone.Distributions;
using Hone.Population;
using Hone.Studies;
using Hone.Tests.Artifacts;
using Hone.Trials;

namespace Hone.Tests.Population;

public sealed class PopulationBasedTrainingTests : IDisposable
{
    private readonly ArtifactFolder _folder = new();

    private static int? Attr(FrozenTrial t, string key) =>
        t.SystemAttrs.TryGetValue(key, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.Number ? v.GetInt32() : null;

    private (Study Study, ToyModel Model) Train(PbtOptions options, ToyModel? model = null, int parallelism = 2)
    {
        var study = _folder.NewStudy(direction: StudyDirection.Maximize);
        model ??= new ToyModel();
        new PopulationBasedTraining(options).Run(study, model.Train, parallelism);
        return (study, model);
    }

    [Fact]
    public void Run_EveryMemberReachesTheLastGeneration_EachSegmentTrainedOnce_GenerationsIncrease()
    {
        var (study, _) = Train(new PbtOptions { PopulationSize = 4, Interval = 5, Generations = 4, Seed = 1 }, parallelism: 3);
        var segments = study.Trials.Where(t => t.State == TrialState.Complete).ToList();
        Assert.Equal(segments.Count, study.Trials.Count);
        foreach (var member in segments.GroupBy(t => Attr(t, "pbt:member")))
        {
            var generations = member.OrderBy(t => t.Number).Select(t => Attr(t, "pbt:generation")!.Value).ToList();
            Assert.Equal(0, generations[0]);
            Assert.Equal(3, generations[^1]);
            Assert.True(generations.Zip(generations.Skip(1)).All(p => p.Second > p.First), string.Join(",", generations));
        }

        Assert.Equal(4, segments.Select(t => Attr(t, "pbt:member")).Distinct().Count());
        Assert.All(segments, t => Assert.Equal(Attr(t, "pbt:generation") * 5, Attr(t, "pbt:start_step")));
    }

    [Fact]
    public void Exploit_CopiesTheDonorsCheckpointAndHyperparameters()
    {
        // With nothing to explore the copied hyperparameters stay the donor's.
        var options = new PbtOptions { PopulationSize = 4, Interval = 3, Generations = 5, Seed = 3, Mutations = new HashSet<string>() };
        var (study, model) = Train(options);
        var exploits = study.Trials.Where(t => Attr(t, "pbt:exploited_member") is not null).ToList();
        Assert.NotEmpty(exploits);
        foreach (var t in exploits)
        {
            var parent = study.Trials[Attr(t, "pbt:parent")!.Value];
            Assert.Equal(Attr(t, "pbt:exploited_member"), Attr(parent, "pbt:member"));
            Assert.Equal(Attr(parent, "pbt:generation") + 1, Attr(t, "pbt:generation"));
            Assert.NotEqual(Attr(t, "pbt:member"), Attr(parent, "pbt:member"));
            Assert.Equal(parent.Params, t.Params);
            Assert.Equal((parent.Number, model.Saved[parent.Number]), model.Loaded[t.Number]);
        }

        var continuations = study.Trials.Where(t => Attr(t, "pbt:parent") is not null && Attr(t, "pbt:exploited_member") is null).ToList();
        Assert.NotEmpty(continuations);
        foreach (var t in continuations)
        {
            var parent = study.Trials[Attr(t, "pbt:parent")!.Value];
            Assert.Equal(Attr(t, "pbt:member"), Attr(parent, "pbt:member"));
            Assert.Equal(Attr(t, "pbt:generation") - 1, Attr(parent, "pbt:generation"));
            Assert.Equal(parent.Params, t.Params);
            Assert.Equal((parent.Number, model.Saved[parent.Number]), model.Loaded[t.Number]);
        }
    }

    [Fact]
    public void Exploit_NeverCopiesAMemberWithoutACheckpoint()
    {
        // Member 0 starts with the largest learning rate and so leads, but never saves a checkpoint.
        var study = _folder.NewStudy(direction: StudyDirection.Maximize);
        study.Enqueue(new Dictionary<string, object?> { ["lr"] = 0.2, ["k"] = 10, ["kind"] = "far" });
        study.Enqueue(new Dictionary<string, object?> { ["lr"] = 0.001, ["k"] = 1, ["kind"] = "near" });
        var model = new ToyModel { NoCheckpointMembers = [0] };
        new PopulationBasedTraining(new PbtOptions { PopulationSize = 2, Interval = 2, Generations = 4, Seed = 5, Quantile = 0.5 })
            .Run(study, model.Train, parallelism: 1);

        var segments = study.Trials.Where(t => Attr(t, "pbt:member") is not null).ToList();
        Assert.Equal(8, segments.Count(t => t.State == TrialState.Complete));
        Assert.DoesNotContain(segments, t => Attr(t, "pbt:exploited_member") == 0);
        Assert.True(study.Trials.Where(t => Attr(t, "pbt:member") == 0).Max(t => t.Value) > study.Trials.Where(t => Attr(t, "pbt:member") == 1).Max(t => t.Value));
    }

    [Fact]
    public void Exploit_WithACheckpoint_TheLaggingMemberCopiesTheLeader()
    {
        // The same population as above, but the leader saves: the laggard must exploit it.
        var study = _folder.NewStudy(direction: StudyDirection.Maximize);
        study.Enqueue(new Dictionary<string, object?> { ["lr"] = 0.2, ["k"] = 10, ["kind"] = "far" });
        study.Enqueue(new Dictionary<string, object?> { ["lr"] = 0.001, ["k"] = 1, ["kind"] = "near" });
        new PopulationBasedTraining(new PbtOptions { PopulationSize = 2, Interval = 2, Generations = 4, Seed = 5, Quantile = 0.5 })
            .Run(study, new ToyModel().Train, parallelism: 1);
        Assert.Contains(study.Trials, t => Attr(t, "pbt:exploited_member") == 0);
    }

    [Fact]
    public void Lineage_ReplayedAsAFixedSchedule_ReproducesTheBestMembersWeights()
    {
        var options = new PbtOptions { PopulationSize = 6, Interval = 4, Generations = 6, Seed = 11, ResampleProbability = 0.3 };
        var (study, model) = Train(options, parallelism: 3);
        var lineage = PbtLineage.OfBest(study);
        Assert.Equal(6, lineage.Segments.Count);
        Assert.Equal([0, 4, 8, 12, 16, 20], lineage.StartSteps);
        var best = lineage.Segments[^1];
        Assert.Equal(study.GetTrials(TrialState.Complete).Where(t => Attr(t, "pbt:generation") == 5).Max(t => t.Value), best.Value);

        var schedules = lineage.Schedules();
        var w = 0.0;
        for (var step = 0; step < 24; step++)
        {
            var p = lineage.ParamsAt(step);
            Assert.Equal((double)p["lr"]!, schedules["lr"].ValueAt(step));
            Assert.Equal((int)p["k"]!, schedules["k"].ValueAt(step));
            w = ToyModel.Update(w, p);
        }

        Assert.Equal(model.Saved[best.Number], w);
        Assert.Equal(BitConverter.GetBytes(w), study.LoadCheckpoint(best.Number)!.Data.ToArray());
    }

    [Fact]
    public void Run_AFailingSegment_IsRecordedAndTrainedAgain()
    {
        var failures = 0;
        var model = new ToyModel();
        var study = _folder.NewStudy(direction: StudyDirection.Maximize);
        new PopulationBasedTraining(new PbtOptions { PopulationSize = 2, Interval = 2, Generations = 3, Seed = 2 }).Run(study, s =>
        {
            if (s.Member == 1 && s.Generation > 0 && Interlocked.Increment(ref failures) == 1)
            {
                throw new InvalidOperationException("out of memory, say");
            }

            return model.Train(s);
        });

        var failed = Assert.Single(study.Trials, t => t.State == TrialState.Fail && t.SystemAttrs["fail_reason"].GetString()!.Contains("InvalidOperation", StringComparison.Ordinal));
        Assert.Contains("out of memory", failed.SystemAttrs["fail_reason"].GetString(), StringComparison.Ordinal);
        // The member's second segment is trained again, and the member still reaches the last generation.
        static int Segment(FrozenTrial t) => t.SystemAttrs["pbt:segment"].GetProperty("segment").GetInt32();
        Assert.Equal(1, Segment(failed));
        Assert.Single(study.Trials, t => t.State == TrialState.Complete && Attr(t, "pbt:member") == 1 && Segment(t) == 1);
        Assert.Equal(2, study.Trials.Where(t => t.State == TrialState.Complete && Attr(t, "pbt:member") == 1).Max(t => Attr(t, "pbt:generation")));
    }

    [Fact]
    public void Retention_DeletesCheckpointsNoMemberNeeds_EveryContinuationStillLoadsItsParents()
    {
        var options = new PbtOptions
        {
            PopulationSize = 4, Interval = 2, Generations = 5, Seed = 4,
            Retention = new CheckpointRetention { KeepLatestPerTrial = 1, KeepBestTrials = 1 },
        };
        var (study, model) = Train(options);
        foreach (var t in study.Trials.Where(t => Attr(t, "pbt:parent") is not null))
        {
            Assert.Equal(Attr(t, "pbt:parent"), model.Loaded[t.Number].From);
        }

        var kept = study.Trials.Where(t => study.GetCheckpoints(t.Number).Count > 0).Select(t => t.Number).ToHashSet();
        Assert.Superset(PopulationBasedTraining.SegmentsInUse(study).ToHashSet(), kept);
        Assert.InRange(kept.Count, 4, 5);
        Assert.Equal(kept.Count, Directory.GetFiles(_folder.Root).Length);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Retention_WithSegmentsFinishingDuringTheCleanUp_NoContinuationStartsAfresh(int seed)
    {
        // Four workers and instant segments: segments finish while another worker cleans up, which once deleted the
        // checkpoint of a segment that had just become its member's latest, and the next segment trained from scratch.
        var options = new PbtOptions
        {
            PopulationSize = 6, Interval = 1, Generations = 8, Seed = seed,
            Retention = new CheckpointRetention { KeepLatestPerTrial = 1, KeepBestTrials = 1 },
        };
        var (study, model) = Train(options, parallelism: 4);
        var continuations = study.Trials.Where(t => Attr(t, "pbt:parent") is not null).ToList();
        Assert.NotEmpty(continuations);
        Assert.All(continuations, t => Assert.Equal(Attr(t, "pbt:parent"), model.Loaded[t.Number].From));
    }

    [Fact]
    public void Options_Invalid_AllProblemsInOneMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => new PopulationBasedTraining(new PbtOptions { PopulationSize = 1, Quantile = 0.9, Interval = 0 }));
        Assert.Contains("PopulationSize", e.Message, StringComparison.Ordinal);
        Assert.Contains("Quantile", e.Message, StringComparison.Ordinal);
        Assert.Contains("Interval", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
