using System.Text.Json;
using Hone.Distributions;
using Hone.Storage;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Storage;

/// <summary>The rules of <see cref="IStorage"/>, run unchanged against every implementation.</summary>
public abstract class StorageContractTests
{
    protected abstract IStorage NewStorage();

    private static JsonElement Json(object? value) => AttributeValue.From("k", value);

    [StorageFact]
    public void CreateStudy_DuplicateName_Throws()
    {
        var s = NewStorage();
        var id = s.CreateStudy("a", [StudyDirection.Minimize]);
        Assert.Equal(id, s.FindStudy("a"));
        Assert.Null(s.FindStudy("b"));
        Assert.Throws<DuplicateStudyException>(() => s.CreateStudy("a", [StudyDirection.Maximize]));
        Assert.Equal("a", s.GetStudy(id).Name);
        Assert.Single(s.GetAllStudies());
    }

    [StorageFact]
    public void DeleteStudy_RemovesItsTrials()
    {
        var s = NewStorage();
        var id = s.CreateStudy("a", [StudyDirection.Minimize]);
        var t = s.CreateTrial(id);
        s.DeleteStudy(id);
        Assert.Null(s.FindStudy("a"));
        Assert.Throws<StudyNotFoundException>(() => s.GetTrial(t.TrialId));
        Assert.Throws<StudyNotFoundException>(() => s.GetStudy(id));
    }

    [StorageFact]
    public void TrialNumbers_AreSequentialPerStudy_EvenWithManyWriters()
    {
        var s = NewStorage();
        var a = s.CreateStudy("a", [StudyDirection.Minimize]);
        var b = s.CreateStudy("b", [StudyDirection.Minimize]);
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => s.CreateTrial(i % 2 == 0 ? a : b));
        Assert.Equal(Enumerable.Range(0, 200), s.GetAllTrials(a).Select(t => t.Number));
        Assert.Equal(Enumerable.Range(0, 200), s.GetAllTrials(b).Select(t => t.Number));
        Assert.Equal(400, s.GetAllTrials(a).Concat(s.GetAllTrials(b)).Select(t => t.TrialId).Distinct().Count());
    }

    [StorageFact]
    public void FinishedTrial_NeverChanges()
    {
        var s = NewStorage();
        var id = s.CreateStudy("a", [StudyDirection.Minimize]);
        var t = s.CreateTrial(id);
        s.SetTrialParam(t.TrialId, "x", 0.5, new FloatDistribution(0, 1));
        s.SetTrialStateValues(t.TrialId, TrialState.Complete, [1.0]);
        Assert.Throws<TrialFinishedException>(() => s.SetTrialStateValues(t.TrialId, TrialState.Fail, null));
        Assert.Throws<TrialFinishedException>(() => s.SetTrialParam(t.TrialId, "y", 0.5, new FloatDistribution(0, 1)));
        Assert.Throws<TrialFinishedException>(() => s.SetTrialIntermediateValue(t.TrialId, 0, 1));
        var done = s.GetTrial(t.TrialId);
        Assert.Equal(TrialState.Complete, done.State);
        Assert.Equal([1.0], done.Values);
        Assert.NotNull(done.DatetimeComplete);
        s.SetTrialUserAttr(t.TrialId, "note", Json("after"));
        Assert.Equal("after", s.GetTrial(t.TrialId).UserAttrs["note"].GetString());
    }

    [StorageFact]
    public void ReturnedTrial_IsASnapshot()
    {
        var s = NewStorage();
        var id = s.CreateStudy("a", [StudyDirection.Minimize]);
        var t = s.CreateTrial(id);
        var before = s.GetTrial(t.TrialId);
        s.SetTrialParam(t.TrialId, "x", 0.5, new FloatDistribution(0, 1));
        s.SetTrialIntermediateValue(t.TrialId, 3, 0.25);
        Assert.Empty(before.Params);
        Assert.Empty(before.IntermediateValues);
        var after = s.GetTrial(t.TrialId);
        Assert.Equal(0.5, after.Params["x"]);
        Assert.Equal(0.25, after.IntermediateValues[3]);
    }

    [StorageFact]
    public void WritesToAMissingTrialOrStudy_SayNotFound_AndLeaveNothingBehind()
    {
        var s = NewStorage();
        var id = s.CreateStudy("a", [StudyDirection.Minimize]);
        var t = s.CreateTrial(id);
        const long Missing = 987_654;
        Assert.Throws<StudyNotFoundException>(() => s.SetTrialParam(Missing, "x", 0.5, new FloatDistribution(0, 1)));
        Assert.Throws<StudyNotFoundException>(() => s.SetTrialIntermediateValue(Missing, 0, 1));
        Assert.Throws<StudyNotFoundException>(() => s.SetTrialStateValues(Missing, TrialState.Complete, [1.0]));
        Assert.Throws<StudyNotFoundException>(() => s.PopWaitingTrial(Missing));
        Assert.Throws<StudyNotFoundException>(() => s.CreateTrial(Missing));
        Assert.Equal([t.TrialId], s.GetAllTrials(id).Select(x => x.TrialId));
    }

    [StorageFact]
    public void StateChanges_StampTimes_AndRefuseGoingBackToWaiting()
    {
        var s = NewStorage();
        var id = s.CreateStudy("a", [StudyDirection.Minimize]);
        var waiting = s.CreateTrial(id, new FrozenTrial { State = TrialState.Waiting });
        Assert.Null(s.GetTrial(waiting.TrialId).DatetimeStart);
        s.SetTrialStateValues(waiting.TrialId, TrialState.Running, null);
        var running = s.GetTrial(waiting.TrialId);
        Assert.Equal(TrialState.Running, running.State);
        Assert.NotNull(running.DatetimeStart);
        Assert.Null(running.DatetimeComplete);

        // Running again keeps the start; going back to Waiting is refused and changes nothing.
        s.SetTrialStateValues(waiting.TrialId, TrialState.Running, null);
        Assert.Equal(running.DatetimeStart, s.GetTrial(waiting.TrialId).DatetimeStart);
        Assert.Throws<InvalidOperationException>(() => s.SetTrialStateValues(waiting.TrialId, TrialState.Waiting, null));
        Assert.Equal(TrialState.Running, s.GetTrial(waiting.TrialId).State);

        s.SetTrialIntermediateValue(waiting.TrialId, 3, 0.5);
        s.SetTrialIntermediateValue(waiting.TrialId, 3, 0.25);
        s.SetTrialParam(waiting.TrialId, "x", 0.5, new FloatDistribution(0, 1));
        s.SetTrialParam(waiting.TrialId, "x", 0.75, new FloatDistribution(0, 1));
        s.SetTrialStateValues(waiting.TrialId, TrialState.Pruned, [0.25]);
        var pruned = s.GetTrial(waiting.TrialId);
        Assert.Equal(TrialState.Pruned, pruned.State);
        Assert.Equal([0.25], pruned.Values);
        Assert.Equal(0.25, pruned.IntermediateValues[3]);
        Assert.Equal(0.75, pruned.InternalParams["x"]);
        Assert.NotNull(pruned.DatetimeComplete);
        Assert.Equal(running.DatetimeStart, pruned.DatetimeStart);
    }

    [StorageFact]
    public void PopWaitingTrial_HandsEachToExactlyOneCaller()
    {
        var s = NewStorage();
        var id = s.CreateStudy("a", [StudyDirection.Minimize]);
        for (var i = 0; i < 100; i++)
        {
            s.CreateTrial(id, new FrozenTrial { State = TrialState.Waiting });
        }

        var popped = new System.Collections.Concurrent.ConcurrentBag<int>();
        Parallel.For(0, 8, _ =>
        {
            while (s.PopWaitingTrial(id) is { } t)
            {
                Assert.Equal(TrialState.Running, t.State);
                popped.Add(t.Number);
            }
        });
        Assert.Equal(Enumerable.Range(0, 100), popped.Order());
        Assert.Null(s.PopWaitingTrial(id));
    }

    [StorageFact]
    public void TrialsChangedSince_ReturnsOnlyWhatChanged()
    {
        var s = NewStorage();
        var id = s.CreateStudy("a", [StudyDirection.Minimize]);
        var t0 = s.CreateTrial(id);
        var t1 = s.CreateTrial(id);
        var all = s.GetTrialsChangedSince(id, 0);
        Assert.Equal(2, all.Trials.Count);
        var none = s.GetTrialsChangedSince(id, all.Version);
        Assert.Empty(none.Trials);
        s.SetTrialStateValues(t1.TrialId, TrialState.Complete, [2.0]);
        var t2 = s.CreateTrial(id);
        var changed = s.GetTrialsChangedSince(id, all.Version);
        Assert.Equal([1, 2], changed.Trials.Select(t => t.Number).Order());
        Assert.Equal(TrialState.Complete, changed.Trials.Single(t => t.Number == 1).State);
        Assert.True(changed.Version > all.Version);
        _ = t0;
        _ = t2;
    }

    [StorageFact]
    public void CreateTrialFromTemplate_KeepsEverything()
    {
        var s = NewStorage();
        var id = s.CreateStudy("a", [StudyDirection.Minimize, StudyDirection.Maximize]);
        var template = FrozenTrial.Create(
            new Dictionary<string, object?> { ["c"] = "b", ["n"] = 3 },
            new Dictionary<string, Distribution> { ["c"] = new CategoricalDistribution(["a", "b"]), ["n"] = new IntDistribution(0, 5) },
            [1.0, double.NegativeInfinity],
            intermediateValues: new Dictionary<int, double> { [0] = 4, [1] = double.PositiveInfinity },
            userAttrs: new Dictionary<string, object?> { ["u"] = 1 });
        var t = s.CreateTrial(id, template);
        var read = s.GetTrial(t.TrialId);
        Assert.Equal(TrialState.Complete, read.State);
        Assert.Equal([1.0, double.NegativeInfinity], read.Values);
        Assert.Equal("b", read.Params["c"]);
        Assert.Equal(3, read.Params["n"]);
        Assert.Equal(double.PositiveInfinity, read.IntermediateValues[1]);
        Assert.Equal(1, read.UserAttrs["u"].GetInt32());
        Assert.NotNull(read.DatetimeComplete);
    }

    [StorageFact]
    public void StudyAttributes_RoundTrip()
    {
        var s = NewStorage();
        var id = s.CreateStudy("a", [StudyDirection.Minimize]);
        s.SetStudyUserAttr(id, "k", Json(new Dictionary<string, int> { ["x"] = 1 }));
        s.SetStudySystemAttr(id, "sys", Json("v"));
        Assert.Equal(1, s.GetStudyUserAttrs(id)["k"].GetProperty("x").GetInt32());
        Assert.Equal("v", s.GetStudySystemAttrs(id)["sys"].GetString());
    }
}

/// <summary>
/// A storage test. A test project whose storage needs a service (PostgreSQL) sets <see cref="Requirement"/>: when it
/// reports the service missing, the test is skipped with the reason locally and runs (and fails) when CI=true.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StorageFactAttribute : FactAttribute
{
    public StorageFactAttribute()
    {
        if (Requirement() is { } why && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = why;
        }
    }

    /// <summary>Why the storage under test is unavailable, or null when it is available.</summary>
    public static Func<string?> Requirement { get; set; } = () => null;
}
