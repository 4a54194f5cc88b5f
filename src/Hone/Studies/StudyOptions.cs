using Hone.Pruners;
using Hone.Samplers;
using Hone.Storage;

namespace Hone.Studies;

/// <summary>How to create or load a study.</summary>
public sealed class StudyOptions
{
    /// <summary>The study's name, unique in its storage.</summary>
    /// <value>Null generates a unique name ("study-" and a GUID).</value>
    public string? Name { get; init; }

    /// <summary>The direction of a single-objective study.</summary>
    /// <value>Null means <see cref="StudyDirection.Minimize"/> unless <see cref="Directions"/> is set.</value>
    /// <remarks>Set this or <see cref="Directions"/>, not both.</remarks>
    public StudyDirection? Direction { get; init; }

    /// <summary>One direction per objective, for a multi-objective study.</summary>
    public IReadOnlyList<StudyDirection>? Directions { get; init; }

    /// <summary>The sampler.</summary>
    /// <value>Null uses an <see cref="Samplers.Auto.AutoSampler"/> with default options and a random seed (Gaussian process, TPE or CMA-ES, chosen per trial).</value>
    public ISampler? Sampler { get; init; }

    /// <summary>The pruner.</summary>
    /// <value>Null never prunes (<see cref="NopPruner"/>).</value>
    public IPruner? Pruner { get; init; }

    /// <summary>Where the study lives, as a storage object.</summary>
    /// <value>Null uses <see cref="StorageUrl"/>, or else a new <see cref="InMemoryStorage"/>.</value>
    /// <remarks>Set this or <see cref="StorageUrl"/>, not both.</remarks>
    public IStorage? Storage { get; init; }

    /// <summary>
    /// Where the study lives, as a URL: <c>sqlite:///hone.db</c>, <c>postgresql://user:password@host/db</c> or
    /// <c>inmemory</c> (a string converts implicitly). The provider package (Hone.Storage.Sqlite,
    /// Hone.Storage.Postgres) must be referenced.
    /// </summary>
    /// <value>Null: see <see cref="Storage"/>.</value>
    public StorageUrl? StorageUrl { get; init; }

    /// <summary>Where trials keep checkpoints and artifacts (<see cref="Artifacts.TrialCheckpoints"/>).</summary>
    /// <value>
    /// Null: for a study on a file (<c>sqlite:///hone.db</c>, <c>journal:///hone.log</c>) the folder beside it,
    /// <c>hone.db.artifacts</c>; otherwise none, and saving a checkpoint is an error.
    /// </value>
    public Artifacts.IArtifactStore? ArtifactStore { get; init; }

    /// <summary>
    /// How often the study records that each trial it started is alive (from a thread of its own, with a storage
    /// connection of its own where the storage needs one). With it set, every trial is created with its first
    /// heartbeat and its worker's machine and process, and a Running trial is marked Fail by the next worker that
    /// starts a trial when its worker is known to be gone (a process on the same machine that exited: found at once)
    /// or its heartbeats stopped for longer than <see cref="GracePeriod"/>.
    /// </summary>
    /// <value>Null: no heartbeats, and stale trials are never detected.</value>
    public TimeSpan? HeartbeatInterval { get; init; }

    /// <summary>How long a trial's heartbeat may be missing before the trial counts as dead.</summary>
    /// <value>Null: <see cref="DefaultGracePeriod"/> of the interval.</value>
    /// <remarks>
    /// A worker on the same machine is never failed while its process lives, whatever the grace; the grace decides for
    /// workers on other machines (a shared PostgreSQL study), so it must exceed the longest gap between two beats of
    /// a live worker. On an overloaded machine that gap grows far past the interval (docs/benchmarks.md, "Heartbeat
    /// gaps under load"); Optuna's default of twice the interval fails live trials there.
    /// </remarks>
    public TimeSpan? GracePeriod { get; init; }

    /// <summary>The grace period used when none is set: twice the interval plus 30 seconds.</summary>
    /// <param name="interval">The heartbeat interval.</param>
    public static TimeSpan DefaultGracePeriod(TimeSpan interval) => interval * 2 + TimeSpan.FromSeconds(30);

    /// <summary>Whether and how often a trial failed for missing heartbeats is enqueued again with the same parameters.</summary>
    /// <value>Null: no retries. Needs <see cref="HeartbeatInterval"/>.</value>
    public TrialRetryPolicy? RetryFailedTrials { get; init; }

    /// <summary>
    /// Constraints computed from each trial's outcome, as Optuna's <c>constraints_func</c>: called once a trial completes
    /// or is pruned, with the trial (its final state, values and parameters), and returning one value per constraint,
    /// ≤ 0 satisfied and &gt; 0 violated by that much.
    /// </summary>
    /// <value>Null: only the constraints the objective sets with <see cref="Trials.Trial.SetConstraint"/>.</value>
    /// <remarks>
    /// The values are stored in the trial's <c>constraints</c> system attribute (after any the objective set), where
    /// <see cref="Study.BestTrial"/>, <see cref="Study.BestTrials"/> and the constrained samplers read them. A function that
    /// throws, or returns NaN or an infinite value, makes the trial Fail with the reason. Each process that runs trials of
    /// a study needs the same function.
    /// </remarks>
    public Func<Trials.FrozenTrial, IReadOnlyList<double>>? Constraints { get; init; }

    /// <summary>Whether <see cref="Study.Create"/> loads an existing study of the same name instead of failing.</summary>
    /// <value>False.</value>
    public bool LoadIfExists { get; init; }

    /// <summary>The storage the options name: <see cref="Storage"/>, or <see cref="StorageUrl"/> opened, or a new in-memory one.</summary>
    internal IStorage ResolveStorage()
    {
        if (Storage is not null && StorageUrl is not null)
        {
            throw new ArgumentException($"StudyOptions sets both Storage and StorageUrl ({StorageUrl}); set only one of them.");
        }

        return Storage ?? (StorageUrl is { } url ? OpenedStorages.Open(url) : new InMemoryStorage());
    }

    /// <summary>Checks the heartbeat settings, all errors in one message.</summary>
    internal void ValidateHeartbeat()
    {
        var errors = new List<string>();
        if (HeartbeatInterval is { } interval && interval <= TimeSpan.Zero)
        {
            errors.Add($"HeartbeatInterval must be positive, got {interval}.");
        }

        if (GracePeriod is { } grace && grace <= TimeSpan.Zero)
        {
            errors.Add($"GracePeriod must be positive, got {grace}.");
        }

        if (GracePeriod is not null && HeartbeatInterval is null)
        {
            errors.Add("GracePeriod needs HeartbeatInterval: without heartbeats no trial is ever found stale.");
        }

        if (GracePeriod is { } g && HeartbeatInterval is { } i && g < i)
        {
            errors.Add($"GracePeriod ({g}) must be at least HeartbeatInterval ({i}), or live trials would be failed between two beats.");
        }

        if (RetryFailedTrials is { } retry)
        {
            if (HeartbeatInterval is null)
            {
                errors.Add("RetryFailedTrials needs HeartbeatInterval: only trials found dead by missing heartbeats are retried.");
            }

            if (retry.MaxRetries < 0)
            {
                errors.Add($"RetryFailedTrials.MaxRetries must be zero or more, got {retry.MaxRetries}.");
            }
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid StudyOptions: " + string.Join(" ", errors));
        }
    }

    internal IReadOnlyList<StudyDirection> ResolveDirections()
    {
        if (Direction is { } d && Directions is { } ds && !(ds.Count == 1 && ds[0] == d))
        {
            throw new ArgumentException(
                $"StudyOptions sets both Direction ({d}) and Directions ([{string.Join(", ", ds)}]); set only one of them.");
        }

        IReadOnlyList<StudyDirection> result = Directions ?? [Direction ?? StudyDirection.Minimize];
        if (result.Count == 0)
        {
            throw new ArgumentException("StudyOptions.Directions is empty; give one direction per objective.");
        }

        foreach (var direction in result)
        {
            if (!Enum.IsDefined(direction))
            {
                throw new ArgumentException($"StudyOptions direction {(int)direction} is not Minimize or Maximize.");
            }
        }

        return result;
    }
}
