using System.Text.Json;

namespace Hone.Storage;

/// <summary>
/// What a worker stamps on a trial it starts, written by <see cref="IStorage.CreateTrial"/> or
/// <see cref="IStorage.PopWaitingTrial"/> in the same atomic operation that makes the trial Running: who runs it
/// (system attributes) and, when the worker sends heartbeats, the first heartbeat.
/// </summary>
/// <remarks>
/// Without the first heartbeat in the same operation, a worker killed between creating a trial and its first beat
/// would leave a Running trial that no heartbeat check ever fails.
/// </remarks>
public sealed record TrialClaim
{
    /// <summary>System attributes to write on the trial (for example its worker's host and process).</summary>
    public IReadOnlyDictionary<string, JsonElement> SystemAttrs { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>Whether to record the trial's first heartbeat.</summary>
    public bool Heartbeat { get; init; }
}
