using System.Text.Json;
using System.Text.Json.Serialization;
using Hone.Bench.Results;

namespace Hone.Bench.RealProblems;

/// <summary>
/// One optimization run on a real problem, one JSON line in a result file, the same for Hone and for
/// bench/optuna/real.py: which problem, side, sampler and seed, and the loss of every trial in order.
/// </summary>
internal sealed record RealRunRecord
{
    /// <summary>"hone" or "optuna".</summary>
    public required string Side { get; init; }

    public required string Problem { get; init; }

    public required string Sampler { get; init; }

    public required long Seed { get; init; }

    public required int Budget { get; init; }

    /// <summary>The loss of trial k (null when the trial did not complete).</summary>
    public required IReadOnlyList<double?> Losses { get; init; }

    /// <summary>Wall time of the whole run, evaluations included.</summary>
    public double ElapsedSeconds { get; init; }

    /// <summary>Wall time of the evaluations that were not cache hits.</summary>
    public double EvalSeconds { get; init; }

    public string? Version { get; init; }

    /// <summary>The digest of bench/real_problems.json the run used.</summary>
    public string? ProblemsHash { get; init; }

    /// <summary>"side:sampler", the name a sampler has in reports and in <c>--compare</c>.</summary>
    [JsonIgnore]
    public string Key => $"{Side}:{Sampler}";

    /// <summary>The best loss among the first <paramref name="trials"/> trials; null when none completed or the run is shorter.</summary>
    public double? BestAfter(int trials)
    {
        if (trials > Losses.Count)
        {
            return null;
        }

        double? best = null;
        for (var i = 0; i < trials; i++)
        {
            if (Losses[i] is { } v && (best is null || v < best))
            {
                best = v;
            }
        }

        return best;
    }

    public static IReadOnlyList<RealRunRecord> ReadAll(string path)
    {
        var records = new List<RealRunRecord>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                records.Add(JsonSerializer.Deserialize<RealRunRecord>(line, RunRecord.Json) ?? throw new JsonException("null record"));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: not a real-problem run record: {e.Message}", e);
            }
        }

        return records;
    }

    public string ToJsonLine() => JsonSerializer.Serialize(this, RunRecord.Json);
}
