using System.Collections.Concurrent;
using System.Text.Json;
using Hone.Distributions;
using Hone.Pruners;
using Hone.Samplers;
using Hone.Samplers.Auto;
using Hone.Storage;
using Hone.Trials;

namespace Hone.Studies;

/// <summary>
/// An optimization task: a named set of trials in a storage, with the directions of its objectives, a
/// sampler that proposes parameters and a pruner that stops unpromising trials early.
/// </summary>
/// <remarks>
/// <para>Run it with <see cref="Optimize(Func{Trial, double}, OptimizeOptions?, CancellationToken)"/> (or the async and
/// multi-objective forms), or drive it yourself with <see cref="Ask"/> and <see cref="Tell(Trial, double)"/>.</para>
/// <para>A <see cref="Study"/> object is thread-safe. Several objects (in several processes) may share one
/// study through a shared storage.</para>
/// <para>Dispose it when done: that stops its heartbeats and closes a storage it opened from
/// <see cref="StudyOptions.StorageUrl"/> (for SQLite, the WAL is checkpointed into the database file, which then holds
/// every trial on its own). A storage passed in <see cref="StudyOptions.Storage"/> is the caller's to close. A process
/// that exits without disposing still closes the storages the library opened, from a process-exit hook.</para>
/// </remarks>
public sealed partial class Study : IDisposable, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Distribution> _knownDistributions = new(StringComparer.Ordinal);
    private volatile bool _stopRequested;
    private long _trialSystemAttrWrites;

    private Study(IStorage storage, StudyRecord record, ISampler sampler, IPruner pruner, bool ownsStorage)
    {
        OwnsStorage = ownsStorage;
        PrunerGuard.CheckObjectives(pruner, record.Directions);
        Storage = storage;
        StudyId = record.StudyId;
        Name = record.Name;
        Directions = record.Directions;
        Sampler = sampler;
        Pruner = pruner;
        Cache = new TrialCache(storage, record.StudyId);
    }


    /// <summary>The study's name.</summary>
    public string Name { get; }

    /// <summary>One direction per objective.</summary>
    public IReadOnlyList<StudyDirection> Directions { get; }

    /// <summary>The direction of a single-objective study.</summary>
    /// <exception cref="InvalidOperationException">The study has several objectives.</exception>
    public StudyDirection Direction => Directions.Count == 1
        ? Directions[0]
        : throw new InvalidOperationException($"Study \"{Name}\" has {Directions.Count} objectives; use Directions.");

    /// <summary>Whether the study has more than one objective.</summary>
    public bool IsMultiObjective => Directions.Count > 1;

    /// <summary>The sampler.</summary>
    public ISampler Sampler { get; }

    /// <summary>The pruner.</summary>
    public IPruner Pruner { get; }

    /// <summary>Every trial, ordered by number.</summary>
    public IReadOnlyList<FrozenTrial> Trials => Cache.Get([]);

    /// <summary>The best completed trial of a single-objective study.</summary>
    /// <exception cref="InvalidOperationException">No trial is complete, or the study has several objectives.</exception>
    public FrozenTrial BestTrial => StudyResults.BestTrial(this);

    /// <summary>The best value of a single-objective study.</summary>
    public double BestValue => BestTrial.Value!.Value;

    /// <summary>The parameters of the best trial.</summary>
    public IReadOnlyDictionary<string, object?> BestParams => BestTrial.Params;

    /// <summary>
    /// The completed trials that no other completed trial dominates (the Pareto set); for a single
    /// objective, the best trials (all ties).
    /// </summary>
    public IReadOnlyList<FrozenTrial> BestTrials => StudyResults.BestTrials(this);

    /// <summary>The study's user attributes.</summary>
    public IReadOnlyDictionary<string, JsonElement> UserAttrs => Storage.GetStudyUserAttrs(StudyId);

    /// <summary>The study's system attributes.</summary>
    public IReadOnlyDictionary<string, JsonElement> SystemAttrs => Storage.GetStudySystemAttrs(StudyId);

    /// <summary>Whether <see cref="Stop"/> was called during the current optimize run.</summary>
    public bool IsStopRequested => _stopRequested;

    internal IStorage Storage { get; }

    /// <summary>Whether the study opened its storage itself (from a URL) and so closes it on <see cref="Dispose"/>.</summary>
    internal bool OwnsStorage { get; private set; }

    /// <summary>Beats for the trials this object started, when the study has a heartbeat interval.</summary>
    internal HeartbeatPump? Heartbeats { get; private set; }

    internal long StudyId { get; }

    internal TrialCache Cache { get; }

    internal Lock AskLock { get; } = new();

    /// <summary>Whether trials write their suggestions together (with their next write) rather than one at a time: every storage but the in-memory one.</summary>
    internal bool DefersParamWrites => Storage is not InMemoryStorage;

    /// <summary>This object's trials with suggestions not yet written, by trial id, so that a tell by number writes them too.</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<long, Trials.LiveTrial> PendingParamWrites { get; } = new();

    /// <summary>How many trial system attributes samplers and pruners have set through this object; lets an ask skip re-reading a trial nothing wrote to.</summary>
    internal long TrialSystemAttrWrites => Interlocked.Read(ref _trialSystemAttrWrites);

    /// <summary>Creates a study (or, with <see cref="StudyOptions.LoadIfExists"/>, loads one).</summary>
    /// <exception cref="DuplicateStudyException">The name is taken and LoadIfExists is false.</exception>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public static Study Create(StudyOptions? options = null)
    {
        options ??= new StudyOptions();
        var directions = options.ResolveDirections();
        PrunerGuard.CheckObjectives(options.Pruner, directions);
        options.ValidateHeartbeat();
        var storage = options.ResolveStorage();
        var owns = options.Storage is null;
        try
        {
            var name = options.Name ?? $"study-{Guid.NewGuid():N}";
            long id;
            try
            {
                id = storage.CreateStudy(name, directions);
            }
            catch (DuplicateStudyException) when (options.LoadIfExists)
            {
                var loaded = LoadFrom(storage, options, owns);
                if (!loaded.Directions.SequenceEqual(directions) && (options.Direction is not null || options.Directions is not null))
                {
                    loaded.OwnsStorage = false;
                    throw new ArgumentException(
                        $"Study \"{name}\" exists with directions [{string.Join(", ", loaded.Directions)}], " +
                        $"but the options ask for [{string.Join(", ", directions)}].");
                }

                return loaded;
            }

            return new Study(storage, storage.GetStudy(id), options.Sampler ?? DefaultSampler(), options.Pruner ?? NopPruner.Instance, owns)
                .WithHeartbeat(options);
        }
        catch when (owns)
        {
            OpenedStorages.Close(storage);
            throw;
        }
    }

    /// <summary>
    /// Loads an existing study by <see cref="StudyOptions.Name"/> from <see cref="StudyOptions.Storage"/> or
    /// <see cref="StudyOptions.StorageUrl"/>.
    /// </summary>
    /// <exception cref="StudyNotFoundException">No study has that name.</exception>
    public static Study Load(StudyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Name is null || (options.Storage is null && options.StorageUrl is null))
        {
            throw new ArgumentException("Study.Load needs StudyOptions.Name and StudyOptions.Storage or StudyOptions.StorageUrl.", nameof(options));
        }

        options.ValidateHeartbeat();
        var storage = options.ResolveStorage();
        var owns = options.Storage is null;
        try
        {
            return LoadFrom(storage, options, owns);
        }
        catch when (owns)
        {
            OpenedStorages.Close(storage);
            throw;
        }
    }

    private static Study LoadFrom(IStorage storage, StudyOptions options, bool owns)
    {
        var id = storage.FindStudy(options.Name!)
            ?? throw new StudyNotFoundException($"No study named \"{options.Name}\" in {(options.StorageUrl is { } url ? url.ToString() : "this storage")}.");
        var study = new Study(storage, storage.GetStudy(id), options.Sampler ?? DefaultSampler(), options.Pruner ?? NopPruner.Instance, owns)
            .WithHeartbeat(options);
        foreach (var t in study.Trials)
        {
            foreach (var (name, d) in t.Distributions)
            {
                study._knownDistributions.TryAdd(name, d);
            }
        }

        return study;
    }

    /// <summary>Deletes a study and its trials from a storage.</summary>
    /// <exception cref="StudyNotFoundException">No study has that name.</exception>
    public static void Delete(string name, IStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var id = storage.FindStudy(name) ?? throw new StudyNotFoundException($"No study named \"{name}\" in this storage.");
        storage.DeleteStudy(id);
    }

    /// <summary>Trials in the given states (all trials when none given), ordered by number.</summary>
    /// <remarks>The list is shared and read-only; it is rebuilt only when trials changed.</remarks>
    public IReadOnlyList<FrozenTrial> GetTrials(params TrialState[] states) => Cache.Get(states);

    /// <summary>
    /// The trials a sampler learns from when sampling for <paramref name="trial"/>: every trial, or, when the pruner
    /// splits trials into groups compared only among themselves (<see cref="ISamplingPartitioner"/>: Hyperband's
    /// brackets), the trials of <paramref name="trial"/>'s group. Samplers call this instead of <see cref="GetTrials"/>.
    /// </summary>
    /// <remarks>Ordered by number; the same list object is returned while the trials do not change.</remarks>
    public IReadOnlyList<FrozenTrial> GetTrialsForSampling(FrozenTrial trial) => GetTrialsForSampling(trial, out _);

    internal IReadOnlyList<FrozenTrial> GetTrialsForSampling(FrozenTrial trial, out int? partition)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var partitioner = Pruner as ISamplingPartitioner;
        partition = partitioner?.PartitionOf(this, trial);
        return partition is { } group ? partitioner!.TrialsOf(this, group) : GetTrials();
    }

    /// <summary>Sets a JSON-serializable attribute on the study.</summary>
    public void SetUserAttr(string key, object? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        Storage.SetStudyUserAttr(StudyId, key, AttributeValue.From(key, value));
    }

    /// <summary>
    /// Sets a system attribute on the study: for tools built on the library, which keep their own records with the
    /// study (the <c>hone</c> CLI keeps the sweep file a study runs, so that workers elsewhere need only its name).
    /// </summary>
    public void SetSystemAttr(string key, object? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        Storage.SetStudySystemAttr(StudyId, key, AttributeValue.From(key, value));
    }

    /// <summary>
    /// Sets a system attribute on a trial of this study. For samplers and pruners, which must not reach the
    /// storage themselves (a grid sampler records which point a trial took).
    /// </summary>
    public void SetTrialSystemAttr(FrozenTrial trial, string key, object? value)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (PendingParamWrites.TryGetValue(trial.TrialId, out var live))
        {
            live.FlushParams();
        }

        Storage.SetTrialSystemAttr(trial.TrialId, key, AttributeValue.From(key, value));
        Interlocked.Increment(ref _trialSystemAttrWrites);
    }

    /// <summary>
    /// Sets a user attribute on a trial of this study, finished ones included: for tools that learn more about a trial
    /// after it ended (Hone.MLNet records a configuration's scores when it is re-evaluated on fresh folds).
    /// </summary>
    public void SetTrialUserAttr(FrozenTrial trial, string key, object? value)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (PendingParamWrites.TryGetValue(trial.TrialId, out var live))
        {
            live.FlushParams();
        }

        Storage.SetTrialUserAttr(trial.TrialId, key, AttributeValue.From(key, value));
    }

    /// <summary>Asks the current optimize run(s) of this object to start no new trial; running trials finish.</summary>
    public void Stop() => _stopRequested = true;

    /// <summary>
    /// Starts a trial for the caller to evaluate (ask-and-tell): an enqueued trial if one waits, else a new one.
    /// </summary>
    /// <param name="fixedDistributions">Parameters to suggest at once, so the trial's values for them are ready to read.</param>
    public Trial Ask(IReadOnlyDictionary<string, Distribution>? fixedDistributions = null)
    {
        var trial = TrialLifecycle.Ask(this, checkExhausted: false)!;
        if (fixedDistributions is not null)
        {
            foreach (var (name, distribution) in fixedDistributions)
            {
                trial.SuggestDistribution(name, distribution);
            }
        }

        return trial;
    }

    /// <summary>Finishes a single-objective trial with its value.</summary>
    /// <returns>The stored trial (Fail when the value is NaN).</returns>
    /// <exception cref="TrialFinishedException">The trial is already finished.</exception>
    public FrozenTrial Tell(Trial trial, double value) => Tell(trial, [value]);

    /// <summary>Finishes a trial with one value per objective.</summary>
    /// <exception cref="TrialFinishedException">The trial is already finished.</exception>
    public FrozenTrial Tell(Trial trial, IReadOnlyList<double> values)
    {
        var live = Own(trial);
        return TrialLifecycle.Tell(this, live, live.TrialId, null, values, failReason: null);
    }

    /// <summary>Finishes a trial with a state (Pruned or Fail; Complete needs values).</summary>
    /// <exception cref="TrialFinishedException">The trial is already finished.</exception>
    public FrozenTrial Tell(Trial trial, TrialState state, IReadOnlyList<double>? values = null)
    {
        var live = Own(trial);
        return TrialLifecycle.Tell(this, live, live.TrialId, state, values, failReason: null);
    }

    /// <summary>
    /// Finishes a trial as Fail with its reason and further system attributes, written in the same atomic operation as
    /// the state: a trial that another process already finished (failed as stale, say) keeps what it was finished with,
    /// and this call throws <see cref="TrialFinishedException"/> having written nothing.
    /// </summary>
    /// <param name="trial">A trial this object asked.</param>
    /// <param name="reason">Why it failed, stored in the <c>fail_reason</c> system attribute.</param>
    /// <param name="systemAttrs">Further system attributes to store with the failure (JSON-serializable values).</param>
    /// <param name="retry">
    /// Whether to enqueue a retry with the same parameters, in the same atomic operation, under
    /// <see cref="RetryFailedTrials"/> (which counts the attempts in the <c>retry_history</c> system attribute).
    /// </param>
    /// <exception cref="TrialFinishedException">The trial is already finished.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="retry"/> without a retry policy.</exception>
    public FrozenTrial TellFail(Trial trial, string reason, IReadOnlyDictionary<string, object?>? systemAttrs = null, bool retry = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        var live = Own(trial);
        if (retry && RetryFailedTrials is null)
        {
            throw new InvalidOperationException($"Study \"{Name}\" has no retry policy (StudyOptions.RetryFailedTrials); a failed trial cannot be retried.");
        }

        Dictionary<string, JsonElement>? attrs = null;
        foreach (var (k, v) in systemAttrs ?? new Dictionary<string, object?>())
        {
            ArgumentException.ThrowIfNullOrEmpty(k, nameof(systemAttrs));
            (attrs ??= [])[k] = AttributeValue.From(k, v);
        }

        return TrialLifecycle.Tell(this, live, live.TrialId, TrialState.Fail, null, reason, reread: true, attrs, retry ? RetryFailedTrials : null);
    }

    /// <summary>Finishes the trial with number <paramref name="trialNumber"/> with its value.</summary>
    public FrozenTrial Tell(int trialNumber, double value) =>
        TrialLifecycle.Tell(this, live: null, TrialLifecycle.Resolve(this, trialNumber).TrialId, null, [value], failReason: null);

    /// <summary>Finishes the trial with number <paramref name="trialNumber"/> with one value per objective, or a state.</summary>
    public FrozenTrial Tell(int trialNumber, IReadOnlyList<double>? values, TrialState? state = null) =>
        TrialLifecycle.Tell(this, live: null, TrialLifecycle.Resolve(this, trialNumber).TrialId, state, values, failReason: null);

    /// <summary>
    /// Queues a trial that the next worker takes with exactly these parameters (and samples whatever else
    /// the objective asks for).
    /// </summary>
    /// <param name="parameters">Parameter values as the objective will see them.</param>
    /// <param name="userAttrs">Attributes to put on the trial.</param>
    /// <param name="skipIfExists">Do nothing when a Waiting, Running or Complete trial already has these parameters.</param>
    /// <returns>True when a trial was queued.</returns>
    public bool Enqueue(IReadOnlyDictionary<string, object?> parameters, IReadOnlyDictionary<string, object?>? userAttrs = null, bool skipIfExists = false) =>
        TrialLifecycle.Enqueue(this, parameters, userAttrs, skipIfExists);

    /// <summary>Adds a finished trial, e.g. a known result to warm-start the sampler.</summary>
    /// <exception cref="ArgumentException">The trial is not finished, or its values do not fit the study.</exception>
    public FrozenTrial AddTrial(FrozenTrial trial) => TrialLifecycle.AddTrial(this, trial);

    /// <summary>Runs trials of a single-objective study until the options say stop.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled; running trials finished first and nothing is left Running.</exception>
    public void Optimize(Func<Trial, double> objective, OptimizeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        OptimizeLoop.Run(this, t => [objective(t)], options ?? new OptimizeOptions(), cancellationToken);
    }

    /// <summary>Runs trials of a multi-objective study (one value per objective) until the options say stop.</summary>
    public void Optimize(Func<Trial, double[]> objective, OptimizeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        OptimizeLoop.Run(this, objective, options ?? new OptimizeOptions(), cancellationToken);
    }

    /// <summary>Runs trials of a single-objective study with an async objective, <see cref="OptimizeOptions.Parallelism"/> at a time.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled; running trials were marked Fail or finished.</exception>
    public Task OptimizeAsync(
        Func<Trial, CancellationToken, Task<double>> objective, OptimizeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return OptimizeLoop.RunAsync(this, async (t, ct) => [await objective(t, ct).ConfigureAwait(false)], options ?? new OptimizeOptions(), cancellationToken);
    }

    /// <summary>Runs trials of a multi-objective study with an async objective.</summary>
    public Task OptimizeAsync(
        Func<Trial, CancellationToken, Task<double[]>> objective, OptimizeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return OptimizeLoop.RunAsync(this, objective, options ?? new OptimizeOptions(), cancellationToken);
    }

    /// <summary>
    /// Stops the heartbeats of this object's trials and closes the storage if the study opened it from a URL (for
    /// SQLite that checkpoints the WAL into the database file). Trials still Running stay Running: a later run's
    /// heartbeat check fails them. Idempotent.
    /// </summary>
    public void Dispose()
    {
        // Suggestions of running trials wait up to 100 ms to travel with the trial's next write (docs/storage.md); a
        // study closed before then (hone ask, an ask-and-tell program that exits) writes them now.
        foreach (var live in PendingParamWrites.Values)
        {
            try
            {
                live.FlushParams();
            }
            catch (Exception e) when (e is TrialFinishedException or StorageException or ObjectDisposedException)
            {
                // Finished elsewhere, or the storage is gone: nothing of these suggestions was committed.
            }
        }

        Heartbeats?.Dispose();
        if (OwnsStorage)
        {
            OwnsStorage = false;
            OpenedStorages.Close(Storage);
        }
    }

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override string ToString() => $"Study \"{Name}\" ({string.Join(", ", Directions)})";

    internal void ResetStop() => _stopRequested = false;

    /// <summary>The trial as this study's own live trial, or a clear error for a trial from elsewhere.</summary>
    private LiveTrial Own(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return trial is LiveTrial live && ReferenceEquals(live.Study, this)
            ? live
            : throw new ArgumentException(
                $"Trial #{trial.Number} was not asked from this Study object (\"{Name}\"); tell it by number with Tell(int, ...) " +
                "or to the study that asked it.", nameof(trial));
    }

    /// <summary>The sampler a study uses when none is given: the <see cref="AutoSampler"/>, which picks an algorithm per trial.</summary>
    private static ISampler DefaultSampler() => new AutoSampler();

    /// <summary>
    /// Checks that a parameter keeps a compatible distribution across the study's trials (a categorical's
    /// choices may not change), remembering the first one seen.
    /// </summary>
    internal void CheckCompatible(string name, Distribution distribution)
    {
        var first = _knownDistributions.GetOrAdd(name, distribution);
        if (!ReferenceEquals(first, distribution) && !Distribution.AreCompatible(first, distribution))
        {
            throw new ArgumentException(
                $"Parameter \"{name}\" is {distribution} in this trial but {first} in earlier trials of study \"{Name}\"; " +
                "a parameter keeps its kind, and a categorical its choices, for the whole study.", nameof(distribution));
        }
    }
}
