using Hone.Samplers;
using Hone.Studies;
using Hone.Trials;
using Xunit.Abstractions;

namespace Hone.Storage.Postgres.Tests;

/// <summary>
/// How many round trips to the server a trial costs (docs/storage.md, "Round trips per trial"): ask (one batch and its
/// commit), five suggestions (none: they go with the result), tell (one batch and its commit). 17 before the batching.
/// </summary>
public sealed class PostgresRoundTripTests(ITestOutputHelper output) : IDisposable
{
    private readonly List<string> _schemas = [];

    public void Dispose() => PostgresServer.Drop(_schemas);

    [Theory]
    [InlineData(false, 4)]
    [InlineData(true, 5)] // heartbeats: the stale-trial check before each trial (and once more per optimize call) is one more read
    public void FiveParameterTrial_RandomSampler_CostsFewRoundTrips(bool heartbeat, int limit)
    {
        var storage = new PostgresStorage(PostgresServer.NewSchema(_schemas));
        var study = Study.Create(new StudyOptions
        {
            Name = "rt", Storage = storage, Sampler = new RandomSampler(1),
            HeartbeatInterval = heartbeat ? TimeSpan.FromMinutes(5) : null,
        });
        study.Optimize(Objective, new OptimizeOptions { Trials = 3 }); // prepares the statements
        var before = storage.RoundTrips;
        const int Trials = 20;
        study.Optimize(Objective, new OptimizeOptions { Trials = Trials });
        var perTrial = (storage.RoundTrips - before - (heartbeat ? 1 : 0)) / (double)Trials;
        output.WriteLine($"heartbeat {heartbeat}: {perTrial} round trips per trial");

        var trials = study.Trials;
        Assert.Equal(Trials + 3, trials.Count);
        Assert.All(trials, t =>
        {
            Assert.Equal(TrialState.Complete, t.State);
            Assert.Equal(5, t.Params.Count);
        });
        Assert.True(perTrial <= limit, $"{perTrial} round trips per trial, more than {limit}");
    }

    private static double Objective(Trial t)
    {
        var sum = 0.0;
        for (var i = 0; i < 5; i++)
        {
            sum += t.SuggestFloat($"x{i}", -10, 10);
        }

        return sum;
    }
}
