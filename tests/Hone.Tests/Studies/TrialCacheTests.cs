using Hone.Distributions;
using Hone.Storage;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Studies;

public class TrialCacheTests
{
    private static readonly TrialState[][] StateSets =
    [
        [], [TrialState.Complete], [TrialState.Running], [TrialState.Complete, TrialState.Pruned], [TrialState.Waiting, TrialState.Running],
    ];

    [Fact]
    public void ListHandedOut_NeverChanges_AndTheNextOneSeesTheWrite()
    {
        IStorage storage = new InMemoryStorage();
        var id = storage.CreateStudy("s", [StudyDirection.Minimize]);
        var ids = new List<long>();
        for (var i = 0; i < 300; i++)
        {
            var t = storage.CreateTrial(id);
            ids.Add(t.TrialId);
            storage.SetTrialStateValues(t.TrialId, TrialState.Complete, [i]);
        }

        var cache = new TrialCache(storage, id);
        var before = cache.Get([]);
        var firstTrial = before[5];
        storage.SetTrialSystemAttr(ids[5], "k", AttributeValue.From("k", 1));
        var after = cache.Get([]);

        Assert.Same(firstTrial, before[5]);
        Assert.False(before[5].SystemAttrs.ContainsKey("k"));
        Assert.True(after[5].SystemAttrs.ContainsKey("k"));
        Assert.Equal(300, after.Count);
        Assert.Same(before[299], after[299]);
        Assert.Same(after, cache.Get([]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void EveryView_MatchesTheStorage_UnderRandomChanges(int seed)
    {
        IStorage storage = new InMemoryStorage();
        var id = storage.CreateStudy("s", [StudyDirection.Minimize]);
        var cache = new TrialCache(storage, id);
        var random = new Random(seed);
        var running = new List<FrozenTrial>();
        var all = new List<FrozenTrial>();
        var d = new FloatDistribution(0, 1);
        for (var step = 0; step < 1500; step++)
        {
            switch (random.Next(6))
            {
                case 0 or 1:
                    var t = storage.CreateTrial(id);
                    running.Add(t);
                    all.Add(t);
                    break;
                case 2 when running.Count > 0:
                    // Finish a random running trial, not necessarily the oldest.
                    var k = random.Next(running.Count);
                    storage.SetTrialStateValues(running[k].TrialId, random.Next(4) == 0 ? TrialState.Pruned : TrialState.Complete, [step]);
                    running.RemoveAt(k);
                    break;
                case 3 when running.Count > 0:
                    storage.SetTrialParam(running[random.Next(running.Count)].TrialId, "x", random.NextDouble(), d);
                    break;
                case 4 when all.Count > 0:
                    storage.SetTrialSystemAttr(all[random.Next(all.Count)].TrialId, "k", AttributeValue.From("k", step));
                    break;
                case 5:
                    storage.CreateTrial(id, FrozenTrial.Create(new Dictionary<string, object?>(), new Dictionary<string, Distribution>(), null, TrialState.Waiting));
                    break;
            }

            if (random.Next(3) == 0)
            {
                var states = StateSets[random.Next(StateSets.Length)];
                var expected = storage.GetAllTrials(id).Where(x => states.Length == 0 || states.Contains(x.State)).ToList();
                var actual = cache.Get(states);
                Assert.Equal(expected.Select(x => (x.Number, x.State, x.Params.Count, x.SystemAttrs.Count)),
                    actual.Select(x => (x.Number, x.State, x.Params.Count, x.SystemAttrs.Count)));
                Assert.Equal(expected.Count, actual.ToArray().Length);
            }
        }
    }
}
