using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Artifacts;

/// <summary>
/// Checkpoints and artifacts of a running trial: saved to the study's <see cref="IArtifactStore"/>, their metadata in
/// the trial's system attributes, so that any process sharing the study can resume or continue from them (population
/// based training copies them between members; a pruned or paused trial resumes from its last one).
/// </summary>
public static class TrialCheckpoints
{
    private static readonly ConditionalWeakTable<LiveTrial, List<CheckpointRecord>> Saved = [];

    /// <summary>
    /// Saves a checkpoint of the trial at a training step: the bytes first (atomically, see <see cref="IArtifactStore"/>),
    /// then the record in the trial's <c>checkpoints</c> system attribute, so a process killed mid-save leaves the
    /// previous checkpoints as they were.
    /// </summary>
    /// <param name="trial">A trial handed out by a study.</param>
    /// <param name="step">The training step (≥ 0).</param>
    /// <param name="content">The checkpoint's bytes, read to their end.</param>
    /// <returns>The stored record.</returns>
    /// <exception cref="InvalidOperationException">The study has no artifact store, or the trial is not a study's trial.</exception>
    public static CheckpointRecord SaveCheckpoint(this Trial trial, int step, Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        var live = Live(trial, "SaveCheckpoint");
        var store = StoreOf(live.Study);
        var record = Write(store, ArtifactIds.NewCheckpointId(live.Number, step), step, content);
        var list = SavedOf(live);
        lock (list)
        {
            list.Add(record);
            live.Study.SetTrialSystemAttr(live.Snapshot(), CheckpointAttributes.CheckpointsKey, CheckpointAttributes.WriteCheckpoints(list));
        }

        return record;
    }

    /// <summary>Saves the file at <paramref name="path"/> as a checkpoint of the trial; see <see cref="SaveCheckpoint(Trial, int, Stream)"/>.</summary>
    public static CheckpointRecord SaveCheckpoint(this Trial trial, int step, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = File.OpenRead(path);
        return trial.SaveCheckpoint(step, file);
    }

    /// <summary>
    /// The latest good checkpoint to start this trial from: its own latest one (a trial that saved before), or else the
    /// latest one of the trial it continues (<c>checkpoint_from</c>: a resumed trial, a population-based-training segment);
    /// null when there is none (start from scratch). A checkpoint whose bytes are missing or fail their SHA-256 is skipped
    /// for the one before it.
    /// </summary>
    /// <exception cref="CorruptCheckpointException">Checkpoints are recorded but none of them is intact.</exception>
    public static Checkpoint? LoadCheckpoint(this Trial trial)
    {
        var live = Live(trial, "LoadCheckpoint");
        var own = SavedOf(live);
        List<CheckpointRecord> copy;
        lock (own)
        {
            copy = [.. own];
        }

        if (copy.Count > 0)
        {
            return StudyCheckpoints.LoadLatest(live.Study, live.Number, copy);
        }

        return CheckpointAttributes.ReadCheckpointFrom(live.Snapshot()) is { } from ? live.Study.LoadCheckpoint(from) : null;
    }

    /// <summary>The number of the trial this trial continues from (its <c>checkpoint_from</c>), or null.</summary>
    public static int? CheckpointSource(this Trial trial) =>
        CheckpointAttributes.ReadCheckpointFrom(Live(trial, "CheckpointSource").Snapshot());

    /// <summary>Saves a named artifact of the trial (a plot, a model file, a log); saving a name again replaces it.</summary>
    /// <param name="trial">A trial handed out by a study.</param>
    /// <param name="name">The artifact's name within the trial.</param>
    /// <param name="content">The bytes, read to their end.</param>
    public static CheckpointRecord SaveArtifact(this Trial trial, string name, Stream content)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(content);
        var live = Live(trial, "SaveArtifact");
        var record = Write(StoreOf(live.Study), ArtifactIds.NewArtifactId(live.Number, name), 0, content);
        lock (live)
        {
            var current = CheckpointAttributes.ReadArtifacts(live.Study.Storage.GetTrial(live.TrialId));
            current[name] = record;
            live.Study.SetTrialSystemAttr(live.Snapshot(), CheckpointAttributes.ArtifactsKey, CheckpointAttributes.WriteArtifacts(current));
        }

        return record;
    }

    /// <summary>Sets where a live trial continues from (for population-based training and resuming).</summary>
    internal static void SetSource(Trial trial, int fromTrialNumber)
    {
        var live = Live(trial, "continue");
        live.Study.SetTrialSystemAttr(live.Snapshot(), CheckpointAttributes.CheckpointFromKey, fromTrialNumber);
        live.NoteSystemAttr(CheckpointAttributes.CheckpointFromKey, Trials.AttributeValue.From(CheckpointAttributes.CheckpointFromKey, fromTrialNumber));
    }

    internal static IArtifactStore StoreOf(Study study) =>
        study.ArtifactStore ?? throw new InvalidOperationException(
            $"Study \"{study.Name}\" has no artifact store, so it cannot keep checkpoints. Open it from a sqlite:/// or journal:/// URL " +
            "(the store is then the folder beside the file) or set StudyOptions.ArtifactStore.");

    internal static CheckpointRecord Write(IArtifactStore store, string id, int step, Stream content)
    {
        using var hashing = new HashingStream(content);
        store.Write(id, hashing);
        return new CheckpointRecord(id, step, Convert.ToHexString(hashing.Hash()).ToLowerInvariant(), hashing.Length);
    }

    private static List<CheckpointRecord> SavedOf(LiveTrial live) =>
        Saved.GetValue(live, t => CheckpointAttributes.ReadCheckpoints(t.Snapshot()));

    private static LiveTrial Live(Trial trial, string what)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return trial as LiveTrial ?? throw new InvalidOperationException(
            $"{what} needs a trial handed out by a study (Optimize, Ask); trial #{trial.Number} is a {trial.GetType().Name}.");
    }

    /// <summary>Reads a stream through, hashing what passes.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public byte[] Hash() => _hash.GetCurrentHash();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            _hash.AppendData(buffer[..n]);
            _length += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
