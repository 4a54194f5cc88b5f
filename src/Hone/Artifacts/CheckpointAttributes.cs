using System.Text.Json;
using Hone.Trials;

namespace Hone.Artifacts;

/// <summary>How checkpoint and artifact metadata is written in trial system attributes (JSON, readable by any process).</summary>
internal static class CheckpointAttributes
{
    /// <summary>The list of a trial's checkpoints, oldest first: <c>[{"id": ..., "step": ..., "sha256": ..., "size": ...}]</c>.</summary>
    public const string CheckpointsKey = "checkpoints";

    /// <summary>The number of the trial whose latest checkpoint a trial starts from (a resumed or continued trial).</summary>
    public const string CheckpointFromKey = "checkpoint_from";

    /// <summary>The named artifacts of a trial: <c>{"name": {"id": ..., "sha256": ..., "size": ...}}</c>.</summary>
    public const string ArtifactsKey = "artifacts";

    public static List<CheckpointRecord> ReadCheckpoints(FrozenTrial trial)
    {
        var list = new List<CheckpointRecord>();
        if (trial.SystemAttrs.TryGetValue(CheckpointsKey, out var json) && json.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in json.EnumerateArray())
            {
                if (ReadRecord(e, e.TryGetProperty("step", out var s) && s.TryGetInt32(out var step) ? step : 0) is { } r)
                {
                    list.Add(r);
                }
            }
        }

        return list;
    }

    public static Dictionary<string, CheckpointRecord> ReadArtifacts(FrozenTrial trial)
    {
        var map = new Dictionary<string, CheckpointRecord>(StringComparer.Ordinal);
        if (trial.SystemAttrs.TryGetValue(ArtifactsKey, out var json) && json.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in json.EnumerateObject())
            {
                if (ReadRecord(p.Value, 0) is { } r)
                {
                    map[p.Name] = r;
                }
            }
        }

        return map;
    }

    public static int? ReadCheckpointFrom(FrozenTrial trial) =>
        trial.SystemAttrs.TryGetValue(CheckpointFromKey, out var json) && json.ValueKind == JsonValueKind.Number && json.TryGetInt32(out var n)
            ? n
            : null;

    public static JsonElement WriteCheckpoints(IEnumerable<CheckpointRecord> records) =>
        AttributeValue.From(CheckpointsKey, records.Select(ToJson).ToList());

    public static JsonElement WriteArtifacts(IReadOnlyDictionary<string, CheckpointRecord> records) =>
        AttributeValue.From(ArtifactsKey, records.ToDictionary(p => p.Key, p => ToJson(p.Value), StringComparer.Ordinal));

    private static Dictionary<string, object> ToJson(CheckpointRecord r) => new()
    {
        ["id"] = r.ArtifactId,
        ["step"] = r.Step,
        ["sha256"] = r.Sha256,
        ["size"] = r.Size,
    };

    private static CheckpointRecord? ReadRecord(JsonElement e, int step) =>
        e.ValueKind == JsonValueKind.Object
        && e.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
        && e.TryGetProperty("sha256", out var sha) && sha.ValueKind == JsonValueKind.String
        && e.TryGetProperty("size", out var size) && size.TryGetInt64(out var bytes)
            ? new CheckpointRecord(id.GetString()!, step, sha.GetString()!, bytes)
            : null;
}
