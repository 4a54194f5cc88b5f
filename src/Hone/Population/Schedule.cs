using System.Text.Json;
using Hone.Trials;

namespace Hone.Population;

/// <summary>
/// A hyperparameter that changes during training (a learning-rate schedule, say): its value at each step. Schedules
/// are values, recorded with a trial as JSON (<see cref="TrialSchedules.RecordSchedule"/>) so the value at every step can be
/// read back and replayed.
/// </summary>
public abstract record Schedule
{
    private protected Schedule()
    {
    }

    /// <summary>The value at <paramref name="step"/> (from 0).</summary>
    public abstract double ValueAt(int step);

    /// <summary>The schedule as JSON, e.g. <c>{"kind": "cosine", "initial": 0.1, "final": 0.001, "total_steps": 1000}</c>.</summary>
    public abstract JsonElement ToJson();

    /// <summary>Reads a schedule written by <see cref="ToJson"/>.</summary>
    /// <exception cref="FormatException">The JSON is not a schedule; the message says what is missing.</exception>
    public static Schedule FromJson(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.String)
        {
            throw new FormatException($"A schedule is a JSON object with a \"kind\"; got {json.GetRawText()}.");
        }

        try
        {
            return kind.GetString() switch
            {
                "cosine" => new CosineSchedule(json.GetProperty("initial").GetDouble(), json.GetProperty("final").GetDouble(), json.GetProperty("total_steps").GetInt32()),
                "step_decay" => new StepDecaySchedule(json.GetProperty("initial").GetDouble(), json.GetProperty("gamma").GetDouble(), json.GetProperty("step_size").GetInt32()),
                "piecewise_constant" => new PiecewiseConstantSchedule(
                    [.. json.GetProperty("steps").EnumerateArray().Select(e => e.GetInt32())],
                    [.. json.GetProperty("values").EnumerateArray().Select(e => e.GetDouble())]),
                var other => throw new FormatException($"Unknown schedule kind \"{other}\"; known: cosine, step_decay, piecewise_constant."),
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw new FormatException($"Schedule {json.GetRawText()} is incomplete or invalid: {e.Message}", e);
        }
    }

    private protected static JsonElement Json(object value) => AttributeValue.From("schedule", value);
}
