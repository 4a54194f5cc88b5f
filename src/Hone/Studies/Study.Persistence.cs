using Hone.Storage;
using Hone.Trials;

namespace Hone.Studies;

/// <summary>Storage-level operations on studies (load, list, delete, copy by URL) and the heartbeat settings.</summary>
public sealed partial class Study
{
    /// <summary>How often the optimize loop beats for its running trials, or null for never.</summary>
    public TimeSpan? HeartbeatInterval { get; private set; }

    /// <summary>How long a heartbeat may be missing before its trial counts as dead.</summary>
    public TimeSpan? GracePeriod { get; private set; }

    /// <summary>How trials failed for missing heartbeats are retried, or null for never.</summary>
    public TrialRetryPolicy? RetryFailedTrials { get; private set; }

    /// <summary>The constraints computed from each finished trial (<see cref="StudyOptions.Constraints"/>), or null.</summary>
    internal Func<FrozenTrial, IReadOnlyList<double>>? ConstraintsFunction { get; private set; }

    /// <summary>Loads the study named <paramref name="name"/> from the storage at <paramref name="url"/>.</summary>
    /// <exception cref="StudyNotFoundException">No study has that name.</exception>
    /// <exception cref="StorageException">The storage cannot be opened.</exception>
    public static Study Load(string name, StorageUrl url)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(url);
        return Load(new StudyOptions { Name = name, StorageUrl = url });
    }

    /// <summary>Deletes a study and its trials from the storage at <paramref name="url"/>.</summary>
    /// <exception cref="StudyNotFoundException">No study has that name.</exception>
    public static void Delete(string name, StorageUrl url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var storage = OpenedStorages.Open(url);
        try
        {
            Delete(name, storage);
        }
        finally
        {
            OpenedStorages.Close(storage);
        }
    }

    /// <summary>Every study in a storage.</summary>
    public static IReadOnlyList<StudyRecord> GetAllStudies(IStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return storage.GetAllStudies();
    }

    /// <summary>Every study in the storage at <paramref name="url"/>.</summary>
    public static IReadOnlyList<StudyRecord> GetAllStudies(StorageUrl url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var storage = OpenedStorages.Open(url);
        try
        {
            return storage.GetAllStudies();
        }
        finally
        {
            OpenedStorages.Close(storage);
        }
    }

    /// <summary>
    /// Copies a study (directions, attributes and every trial with its state, times, parameters, values,
    /// intermediate values and attributes) from one storage to another, as Optuna's <c>copy_study</c> does.
    /// </summary>
    /// <param name="name">The study to copy.</param>
    /// <param name="from">The storage that holds it.</param>
    /// <param name="to">The storage to copy it into.</param>
    /// <param name="toName">The copy's name; null keeps <paramref name="name"/>.</param>
    /// <exception cref="StudyNotFoundException">No study has that name in <paramref name="from"/>.</exception>
    /// <exception cref="DuplicateStudyException">The target name is taken in <paramref name="to"/>.</exception>
    public static void Copy(string name, IStorage from, IStorage to, string? toName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var sourceId = from.FindStudy(name) ?? throw new StudyNotFoundException($"No study named \"{name}\" to copy.");
        var source = from.GetStudy(sourceId);
        var targetId = to.CreateStudy(toName ?? name, source.Directions);
        foreach (var (k, v) in from.GetStudyUserAttrs(sourceId))
        {
            to.SetStudyUserAttr(targetId, k, v);
        }

        foreach (var (k, v) in from.GetStudySystemAttrs(sourceId))
        {
            to.SetStudySystemAttr(targetId, k, v);
        }

        foreach (var trial in from.GetAllTrials(sourceId))
        {
            to.CreateTrial(targetId, trial);
        }
    }

    /// <summary>Copies a study between the storages at two URLs.</summary>
    public static void Copy(string name, StorageUrl from, StorageUrl to, string? toName = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var source = OpenedStorages.Open(from);
        try
        {
            var target = OpenedStorages.Open(to);
            try
            {
                Copy(name, source, target, toName);
            }
            finally
            {
                OpenedStorages.Close(target);
            }
        }
        finally
        {
            OpenedStorages.Close(source);
        }
    }

    /// <summary>
    /// Fails the study's Running trials whose heartbeats stopped more than <see cref="GracePeriod"/> ago (and
    /// enqueues their retries per <see cref="RetryFailedTrials"/>). The optimize loop calls this before each
    /// trial; call it yourself when you drive trials with ask and tell.
    /// </summary>
    /// <returns>The trials this call failed.</returns>
    public IReadOnlyList<FrozenTrial> FailStaleTrials()
    {
        if (GracePeriod is not { } grace)
        {
            return [];
        }

        var policy = RetryFailedTrials;
        var failed = Storage.FailStaleTrials(StudyId, grace, policy is null ? null : failed => TrialRetry.Template(failed, policy), WorkerIdentity.IsAlive);
        foreach (var trial in failed)
        {
            Telemetry.HoneInstruments.TrialsFinished.Add(1, Telemetry.HoneInstruments.Study(Name), new("state", "fail"));
            Telemetry.HoneLog.StaleTrialFailed(Telemetry.HoneLog.Study, trial.Number, Name,
                trial.SystemAttrs.TryGetValue("fail_reason", out var reason) ? reason.ToString() : "stale");
        }

        return failed;
    }

    /// <summary>Where this study's trials keep checkpoints and artifacts, or null (see <see cref="StudyOptions.ArtifactStore"/>).</summary>
    public Artifacts.IArtifactStore? ArtifactStore { get; private set; }

    private Study WithHeartbeat(StudyOptions options)
    {
        ArtifactStore = options.ArtifactStore ?? (options.StorageUrl is { } url ? Artifacts.ArtifactStores.ForStorage(url) : null);
        HeartbeatInterval = options.HeartbeatInterval;
        GracePeriod = options.HeartbeatInterval is { } interval ? options.GracePeriod ?? StudyOptions.DefaultGracePeriod(interval) : null;
        RetryFailedTrials = options.RetryFailedTrials;
        ConstraintsFunction = options.Constraints;
        if (HeartbeatInterval is { } beat)
        {
            Heartbeats = new HeartbeatPump(Storage, beat);
        }

        return this;
    }

    /// <summary>What a heartbeating worker stamps on each trial it starts: itself, and the first heartbeat.</summary>
    internal TrialClaim? Claim() => HeartbeatInterval is null
        ? null
        : new TrialClaim
        {
            Heartbeat = true,
            SystemAttrs = WorkerIdentity.Current is { } me
                ? new Dictionary<string, System.Text.Json.JsonElement> { [WorkerIdentity.Key] = me }
                : new Dictionary<string, System.Text.Json.JsonElement>(),
        };
}
