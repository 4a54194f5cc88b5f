using System.Text.Json;
using Hone.Trials;

namespace Hone.Population;

/// <summary>
/// The trial system attributes that make a trial a segment of a population member, written by
/// <see cref="PopulationBasedTraining"/> and read by any process sharing the study.
/// </summary>
internal static class PbtAttributes
{
    /// <summary>
    /// The claim: <c>{"member": m, "segment": i, "generation": g}</c> (the member's i-th segment, training generation g),
    /// or null once given up. One write, so it is atomic.
    /// </summary>
    public const string SegmentKey = "pbt:segment";

    public const string MemberKey = "pbt:member";

    public const string GenerationKey = "pbt:generation";

    /// <summary>The trial whose checkpoint the segment started from (its own member's previous segment, or the one it exploited).</summary>
    public const string ParentKey = "pbt:parent";

    /// <summary>The member whose weights and hyperparameters the segment copied, when it exploited.</summary>
    public const string ExploitedKey = "pbt:exploited_member";

    public const string StartStepKey = "pbt:start_step";

    public const string EndStepKey = "pbt:end_step";

    public static (int Member, int Segment, int Generation)? Claim(FrozenTrial trial) =>
        trial.SystemAttrs.TryGetValue(SegmentKey, out var json) && json.ValueKind == JsonValueKind.Object
        && json.TryGetProperty("member", out var m) && m.TryGetInt32(out var member)
        && json.TryGetProperty("segment", out var i) && i.TryGetInt32(out var segment)
        && json.TryGetProperty("generation", out var g) && g.TryGetInt32(out var generation)
            ? (member, segment, generation)
            : null;

    public static int? Int(FrozenTrial trial, string key) =>
        trial.SystemAttrs.TryGetValue(key, out var json) && json.ValueKind == JsonValueKind.Number && json.TryGetInt32(out var n) ? n : null;
}
