using System.Globalization;
using System.Text.Json;
using Hone.Trials;

namespace Hone.Storage;

/// <summary>Names and texts storages use when they fail a trial whose worker stopped beating.</summary>
public static class StaleTrials
{
    /// <summary>The system attribute holding why a trial failed (the same key the optimize loop uses).</summary>
    public const string FailReasonKey = "fail_reason";

    /// <summary>The fail reason recorded on a stale trial, as JSON.</summary>
    public static JsonElement FailReason(TimeSpan silence) => AttributeValue.From(FailReasonKey, string.Create(CultureInfo.InvariantCulture,
        $"The trial's worker stopped sending heartbeats ({silence.TotalSeconds:0.#} s without one); it was probably killed."));

    /// <summary>The fail reason recorded on a trial whose worker process is known to have exited, as JSON.</summary>
    public static JsonElement OwnerGoneReason() => AttributeValue.From(FailReasonKey,
        "The trial's worker process is no longer running (found by a process on the same machine); it was killed or crashed.");
}
