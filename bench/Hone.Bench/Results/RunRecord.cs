using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hone.Bench.Results;

/// <summary>
/// One optimization run of the suite, one JSON line in a result file, the same for Hone and for
/// bench/optuna/suite.py: which function, sampler and seed, and the best value found after each trial.
/// </summary>
internal sealed record RunRecord
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>"hone" or "optuna".</summary>
    public required string Framework { get; init; }

    public required string Function { get; init; }

    public required string Sampler { get; init; }

    public required long Seed { get; init; }

    public required int Budget { get; init; }

    public required double Optimum { get; init; }

    /// <summary>Element k is the best value among trials 0 … k, null while no trial has completed.</summary>
    public required IReadOnlyList<double?> BestSoFar { get; init; }

    /// <summary>Wall time of the whole run, objective included.</summary>
    public double ElapsedSeconds { get; init; }

    /// <summary>The framework's version, for the record.</summary>
    public string? Version { get; init; }

    /// <summary>The regret (best − optimum) after <paramref name="trials"/> trials; +∞ when none completed, null past the budget.</summary>
    public double? RegretAfter(int trials)
    {
        if (trials > BestSoFar.Count)
        {
            return null;
        }

        return BestSoFar[trials - 1] is { } best ? best - Optimum : double.PositiveInfinity;
    }

    public static IReadOnlyList<RunRecord> ReadAll(string path)
    {
        var records = new List<RunRecord>();
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
                records.Add(JsonSerializer.Deserialize<RunRecord>(line, Json)
                    ?? throw new JsonException("null record"));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: not a run record: {e.Message}", e);
            }
        }

        return records;
    }

    public string ToJsonLine() => JsonSerializer.Serialize(this, Json);
}
