using System.Security.Cryptography;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Artifacts;

/// <summary>
/// Checkpoints seen from the study: those of any trial, by number (whichever process saved them), resuming a pruned or
/// paused trial from its last checkpoint, and clean-up of checkpoints nobody will load again.
/// </summary>
public static class StudyCheckpoints
{
    /// <summary>The checkpoints recorded for trial <paramref name="trialNumber"/>, oldest first.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The study has no such trial.</exception>
    public static IReadOnlyList<CheckpointRecord> GetCheckpoints(this Study study, int trialNumber) =>
        CheckpointAttributes.ReadCheckpoints(TrialOf(study, trialNumber));

    /// <summary>
    /// The latest intact checkpoint of trial <paramref name="trialNumber"/>, its SHA-256 verified; a missing or corrupt
    /// latest checkpoint falls back to the one before. Null when the trial saved none.
    /// </summary>
    /// <exception cref="CorruptCheckpointException">The trial recorded checkpoints but none is intact.</exception>
    public static Checkpoint? LoadCheckpoint(this Study study, int trialNumber)
    {
        ArgumentNullException.ThrowIfNull(study);
        return LoadLatest(study, trialNumber, CheckpointAttributes.ReadCheckpoints(TrialOf(study, trialNumber)));
    }

    /// <summary>The named artifact of trial <paramref name="trialNumber"/>, its SHA-256 verified.</summary>
    /// <exception cref="KeyNotFoundException">The trial has no artifact of that name.</exception>
    /// <exception cref="CorruptCheckpointException">The artifact's bytes are missing or fail their checksum.</exception>
    public static ReadOnlyMemory<byte> LoadArtifact(this Study study, int trialNumber, string name)
    {
        ArgumentNullException.ThrowIfNull(study);
        var artifacts = CheckpointAttributes.ReadArtifacts(TrialOf(study, trialNumber));
        if (!artifacts.TryGetValue(name, out var record))
        {
            throw new KeyNotFoundException($"Trial #{trialNumber} of study \"{study.Name}\" has no artifact \"{name}\"; it has [{string.Join(", ", artifacts.Keys)}].");
        }

        return Verified(TrialCheckpoints.StoreOf(study), record, out var problem)
            ?? throw new CorruptCheckpointException($"Artifact \"{name}\" of trial #{trialNumber} of study \"{study.Name}\" cannot be used: {problem}.");
    }

    /// <summary>
    /// Enqueues a trial that resumes trial <paramref name="trialNumber"/> (pruned, paused, failed or complete): the same
    /// parameters, and <see cref="TrialCheckpoints.LoadCheckpoint(Trial)"/> in it returns that trial's last checkpoint.
    /// </summary>
    /// <returns>True when a trial was queued (always, unless the trial has no parameters to fix and no checkpoint).</returns>
    public static bool EnqueueResume(this Study study, int trialNumber, IReadOnlyDictionary<string, object?>? userAttrs = null)
    {
        ArgumentNullException.ThrowIfNull(study);
        var from = TrialOf(study, trialNumber);
        return TrialLifecycle.Enqueue(study, from.Params, userAttrs, skipIfExists: false, new Dictionary<string, object?>
        {
            [CheckpointAttributes.CheckpointFromKey] = trialNumber,
        });
    }

    /// <summary>
    /// Deletes checkpoints that no one will load again: of every finished trial all but its latest
    /// <see cref="CheckpointRetention.KeepLatestPerTrial"/>, and, with <see cref="CheckpointRetention.KeepBestTrials"/> set, every
    /// checkpoint of a finished trial that is not among the best, not continued by a waiting or running trial and not in
    /// <paramref name="protectedTrials"/>. The records go first, then the bytes.
    /// </summary>
    /// <returns>How many checkpoints were deleted.</returns>
    public static int CleanCheckpoints(this Study study, CheckpointRetention retention, IReadOnlySet<int>? protectedTrials = null)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(retention);
        retention.Validate();
        var store = TrialCheckpoints.StoreOf(study);
        var trials = study.Trials;
        var keep = new HashSet<int>(protectedTrials ?? new HashSet<int>());
        foreach (var t in trials)
        {
            if (t.State is TrialState.Waiting or TrialState.Running)
            {
                keep.Add(t.Number);
                if (CheckpointAttributes.ReadCheckpointFrom(t) is { } from)
                {
                    keep.Add(from);
                }
            }
        }

        HashSet<int>? best = null;
        if (retention.KeepBestTrials is { } k && !study.IsMultiObjective)
        {
            var complete = trials.Where(t => t.State == TrialState.Complete && t.Values is { Count: 1 });
            var ordered = study.Direction == StudyDirection.Maximize
                ? complete.OrderByDescending(t => t.Values![0])
                : complete.OrderBy(t => t.Values![0]);
            best = [.. ordered.Take(k).Select(t => t.Number)];
        }

        var deleted = 0;
        foreach (var t in trials)
        {
            if (keep.Contains(t.Number) || t.State is TrialState.Waiting or TrialState.Running)
            {
                continue;
            }

            var records = CheckpointAttributes.ReadCheckpoints(t);
            var survivors = best is null || best.Contains(t.Number)
                ? Math.Min(records.Count, retention.KeepLatestPerTrial)
                : 0;
            if (survivors == records.Count)
            {
                continue;
            }

            var doomed = records.Take(records.Count - survivors).ToList();
            study.SetTrialSystemAttr(t, CheckpointAttributes.CheckpointsKey, CheckpointAttributes.WriteCheckpoints(records.Skip(records.Count - survivors)));
            foreach (var r in doomed)
            {
                store.Delete(r.ArtifactId);
                deleted++;
            }
        }

        return deleted;
    }

    internal static Checkpoint? LoadLatest(Study study, int trialNumber, IReadOnlyList<CheckpointRecord> records)
    {
        if (records.Count == 0)
        {
            return null;
        }

        var store = TrialCheckpoints.StoreOf(study);
        var problems = new List<string>();
        for (var i = records.Count - 1; i >= 0; i--)
        {
            if (Verified(store, records[i], out var problem) is { } data)
            {
                return new Checkpoint(trialNumber, records[i], data);
            }

            problems.Add($"step {records[i].Step} ({records[i].ArtifactId}): {problem}");
        }

        throw new CorruptCheckpointException(
            $"No checkpoint of trial #{trialNumber} of study \"{study.Name}\" in {store} is intact: {string.Join("; ", problems)}.");
    }

    private static byte[]? Verified(IArtifactStore store, CheckpointRecord record, out string? problem)
    {
        byte[] data;
        try
        {
            using var stream = store.OpenRead(record.ArtifactId);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            data = memory.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = e is FileNotFoundException ? "the file is missing" : e.Message;
            return null;
        }

        if (data.LongLength != record.Size)
        {
            problem = $"{data.LongLength} bytes where {record.Size} were saved";
            return null;
        }

        var sha = Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant();
        if (!string.Equals(sha, record.Sha256, StringComparison.Ordinal))
        {
            problem = $"SHA-256 {sha} where {record.Sha256} was saved";
            return null;
        }

        problem = null;
        return data;
    }

    private static FrozenTrial TrialOf(Study study, int trialNumber)
    {
        ArgumentNullException.ThrowIfNull(study);
        return TrialLifecycle.Resolve(study, trialNumber);
    }
}
