using System.Text.Json;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Storage;

/// <summary>
/// Where studies and trials live: in memory, in SQLite, in PostgreSQL. A storage knows nothing of
/// samplers or pruners; it keeps records and enforces the trial life cycle.
/// </summary>
/// <remarks>
/// <para>Rules every implementation keeps (and <c>StorageContractTests</c> checks):</para>
/// <list type="bullet">
/// <item>Every method is thread-safe, and for shared databases safe across processes.</item>
/// <item>Every state change is one atomic operation. A trial moves Waiting → Running → Complete | Pruned | Fail
/// (or straight to a finished state); once finished, any attempt to change its state, values, params or
/// intermediate values throws <see cref="TrialFinishedException"/>.</item>
/// <item>Trial numbers within a study are 0, 1, 2, ... in order of creation, never repeated, even with many writers.</item>
/// <item>A <see cref="FrozenTrial"/> returned never changes afterwards; a later read returns a new object.</item>
/// <item><see cref="PopWaitingTrial"/> hands each waiting trial to exactly one caller.</item>
/// <item><see cref="GetTrialsChangedSince"/> lets a study keep an incremental cache: every trial created or
/// changed after version V is returned by a call with V.</item>
/// </list>
/// </remarks>
public interface IStorage
{
    /// <summary>Creates a study and returns its identifier.</summary>
    /// <exception cref="DuplicateStudyException">The name is taken.</exception>
    long CreateStudy(string name, IReadOnlyList<StudyDirection> directions);

    /// <summary>Deletes a study with all its trials.</summary>
    /// <exception cref="StudyNotFoundException">No such study.</exception>
    void DeleteStudy(long studyId);

    /// <summary>The identifier of the study with this name, or null.</summary>
    long? FindStudy(string name);

    /// <summary>The study's name and directions.</summary>
    /// <exception cref="StudyNotFoundException">No such study.</exception>
    StudyRecord GetStudy(long studyId);

    /// <summary>Every study in the storage.</summary>
    IReadOnlyList<StudyRecord> GetAllStudies();

    /// <summary>Sets a user attribute of a study.</summary>
    void SetStudyUserAttr(long studyId, string key, JsonElement value);

    /// <summary>Sets a system attribute of a study.</summary>
    void SetStudySystemAttr(long studyId, string key, JsonElement value);

    /// <summary>The study's user attributes.</summary>
    IReadOnlyDictionary<string, JsonElement> GetStudyUserAttrs(long studyId);

    /// <summary>The study's system attributes.</summary>
    IReadOnlyDictionary<string, JsonElement> GetStudySystemAttrs(long studyId);

    /// <summary>
    /// Creates a trial with the next number. Without a template it is Running and started now; with one it
    /// takes the template's state, values, params, intermediate values, attributes and times (a Waiting
    /// template is an enqueued trial; a finished one a warm-start record). The template's number and id are ignored.
    /// </summary>
    /// <param name="studyId">The study.</param>
    /// <param name="template">What the trial starts as, or null for a new Running trial.</param>
    /// <param name="claim">
    /// For a Running trial: the worker's system attributes and first heartbeat, written in the same atomic operation
    /// as the trial, so that a worker killed at any instant leaves a trial that is found dead.
    /// </param>
    FrozenTrial CreateTrial(long studyId, FrozenTrial? template = null, TrialClaim? claim = null);

    /// <summary>
    /// Atomically moves the oldest Waiting trial of the study to Running (start time now) and returns it,
    /// or returns null when none waits. Each waiting trial is handed to exactly one caller.
    /// </summary>
    /// <param name="studyId">The study.</param>
    /// <param name="claim">The worker's system attributes and first heartbeat, written with the state change.</param>
    FrozenTrial? PopWaitingTrial(long studyId, TrialClaim? claim = null);

    /// <summary>
    /// Starts a trial for a worker: pops the study's oldest Waiting trial as <see cref="PopWaitingTrial"/> does, or
    /// when none waits creates a new Running one as <see cref="CreateTrial"/> does without a template.
    /// </summary>
    /// <param name="studyId">The study.</param>
    /// <param name="claim">The worker's system attributes and first heartbeat, written with the state change.</param>
    /// <remarks>Storages on a server do both in one transaction (PostgreSQL: one batch of statements and its commit).</remarks>
    FrozenTrial StartTrial(long studyId, TrialClaim? claim = null) =>
        PopWaitingTrial(studyId, claim) ?? CreateTrial(studyId, null, claim);

    /// <summary>Records a parameter's internal value and distribution on a running trial.</summary>
    /// <exception cref="TrialFinishedException">The trial is finished.</exception>
    void SetTrialParam(long trialId, string name, double internalValue, Distribution distribution);

    /// <summary>Records several parameters of an unfinished trial; storages on a server write them in one atomic operation.</summary>
    /// <exception cref="TrialFinishedException">The trial is finished.</exception>
    void SetTrialParams(long trialId, IReadOnlyList<TrialParam> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var p in parameters)
        {
            SetTrialParam(trialId, p.Name, p.InternalValue, p.Distribution);
        }
    }

    /// <summary>
    /// As <see cref="SetTrialStateValues(long, TrialState, IReadOnlyList{double}?, IReadOnlyDictionary{string, JsonElement}?, FrozenTrial?)"/>,
    /// first recording <paramref name="parameters"/> (suggestions not yet written); storages on a server write the
    /// parameters and the state in one atomic operation, so that a trial finished elsewhere gets neither.
    /// </summary>
    /// <exception cref="TrialFinishedException">The trial is already finished; nothing was written.</exception>
    void SetTrialStateValues(long trialId, TrialState state, IReadOnlyList<double>? values, IReadOnlyDictionary<string, JsonElement>? systemAttrs,
        FrozenTrial? retry, IReadOnlyList<TrialParam> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count > 0)
        {
            SetTrialParams(trialId, parameters);
        }

        SetTrialStateValues(trialId, state, values, systemAttrs, retry);
    }

    /// <summary>
    /// Moves a trial to <paramref name="state"/> with <paramref name="values"/> (one per objective, or null),
    /// stamping the completion time for finished states.
    /// </summary>
    /// <param name="trialId">The trial.</param>
    /// <param name="state">The new state (not Waiting).</param>
    /// <param name="values">One value per objective, or null.</param>
    /// <param name="systemAttrs">
    /// System attributes (a fail reason) written in the same atomic operation, only if the state changes: a trial
    /// another process already finished keeps the attributes it was finished with.
    /// </param>
    /// <param name="retry">A Waiting trial to create in the same atomic operation (a retry of a failed trial), or null.</param>
    /// <exception cref="TrialFinishedException">The trial is already finished; nothing was written.</exception>
    void SetTrialStateValues(long trialId, TrialState state, IReadOnlyList<double>? values,
        IReadOnlyDictionary<string, JsonElement>? systemAttrs = null, FrozenTrial? retry = null);

    /// <summary>Records an intermediate value at a step (replacing an earlier one at the same step).</summary>
    /// <exception cref="TrialFinishedException">The trial is finished.</exception>
    void SetTrialIntermediateValue(long trialId, int step, double value);

    /// <summary>Sets a user attribute of a trial (allowed on finished trials too).</summary>
    void SetTrialUserAttr(long trialId, string key, JsonElement value);

    /// <summary>Sets a system attribute of a trial (allowed on finished trials too).</summary>
    void SetTrialSystemAttr(long trialId, string key, JsonElement value);

    /// <summary>The trial as it is now.</summary>
    /// <exception cref="StudyNotFoundException">No such trial.</exception>
    FrozenTrial GetTrial(long trialId);

    /// <summary>
    /// The trials of a study created or changed after <paramref name="sinceVersion"/> (0 for all), and the
    /// version to pass next time.
    /// </summary>
    TrialChanges GetTrialsChangedSince(long studyId, long sinceVersion);

    /// <summary>
    /// Records that a running trial's worker is alive (for detecting crashed workers), stamped by the database's
    /// clock where it has one.
    /// </summary>
    /// <returns>
    /// True when the beat was recorded; false when the trial is no longer Running (another process finished it, for
    /// example failed it as stale), in which case nothing is written and the worker should stop the trial.
    /// </returns>
    /// <remarks>A heartbeat must not wait behind the caller's own writes: storages give it a path of its own.</remarks>
    bool RecordHeartbeat(long trialId);

    /// <summary>
    /// Marks Fail every Running trial of the study that is found dead, and returns the trials this caller failed:
    /// when several workers notice the same dead trial, exactly one of them fails it. A trial is dead when
    /// <paramref name="isOwnerAlive"/> says its worker is gone, or when its last heartbeat is older than
    /// <paramref name="gracePeriod"/> and <paramref name="isOwnerAlive"/> does not say its worker is alive. Trials
    /// that never beat and whose worker is unknown are left alone.
    /// </summary>
    /// <param name="studyId">The study.</param>
    /// <param name="gracePeriod">How long a heartbeat may be missing before its trial counts as dead.</param>
    /// <param name="retry">
    /// Optional: given the failed trial, a Waiting template to enqueue in its place (or null for none). The
    /// retry is created in the same atomic operation as the failure, so a crash cannot lose it.
    /// </param>
    /// <param name="isOwnerAlive">
    /// Optional: for a Running trial, true when its worker is known to be alive, false when it is known to be gone
    /// (a process on this machine that has exited), null when unknown.
    /// </param>
    IReadOnlyList<FrozenTrial> FailStaleTrials(long studyId, TimeSpan gracePeriod, Func<FrozenTrial, FrozenTrial?>? retry = null,
        Func<FrozenTrial, bool?>? isOwnerAlive = null);

    /// <summary>Every trial of the study, ordered by number.</summary>
    IReadOnlyList<FrozenTrial> GetAllTrials(long studyId) =>
        [.. GetTrialsChangedSince(studyId, 0).Trials.OrderBy(t => t.Number)];
}
