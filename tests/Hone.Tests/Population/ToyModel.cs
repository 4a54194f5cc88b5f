using System.Collections.Concurrent;
using Hone.Population;

namespace Hone.Tests.Population;

/// <summary>
/// A deterministic stand-in for a network: one weight, moved each step towards a target by the learning rate, plus a
/// nudge from an integer and a categorical hyperparameter. Its checkpoint is the weight's exact bits.
/// </summary>
internal sealed class ToyModel
{
    public ConcurrentDictionary<int, (int? From, double Weight)> Loaded { get; } = new();

    public ConcurrentDictionary<int, double> Saved { get; } = new();

    /// <summary>Members for which no checkpoint is ever saved.</summary>
    public HashSet<int> NoCheckpointMembers { get; init; } = [];

    public static double Update(double w, IReadOnlyDictionary<string, object?> p)
    {
        var lr = (double)p["lr"]!;
        var k = (int)p["k"]!;
        var target = (string)p["kind"]! == "far" ? 2.0 : 1.0;
        return w + (lr * (target - w)) + (0.0001 * k);
    }

    public static void Suggest(Hone.Trials.Trial trial)
    {
        trial.SuggestFloat("lr", 0.001, 0.2, log: true);
        trial.SuggestInt("k", 1, 10);
        trial.SuggestCategorical("kind", ["near", "far"]);
    }

    public double Train(PbtSegment segment)
    {
        Suggest(segment.Trial);
        var checkpoint = segment.LoadCheckpoint();
        var w = checkpoint is null ? 0.0 : BitConverter.ToDouble(checkpoint.Data.Span);
        Loaded[segment.Trial.Number] = (checkpoint?.TrialNumber, w);
        for (var step = segment.StartStep; step < segment.EndStep; step++)
        {
            w = Update(w, segment.Trial.Params);
        }

        if (!NoCheckpointMembers.Contains(segment.Member))
        {
            segment.SaveCheckpoint(new MemoryStream(BitConverter.GetBytes(w)));
        }

        Saved[segment.Trial.Number] = w;
        return w;
    }
}
