using System.Data.Common;
using System.Globalization;

namespace Hone.Storage.Relational;

/// <summary>
/// What differs between the databases behind <see cref="RelationalStorage"/>: connections and transactions,
/// enum columns, timestamps, row locks, error codes, and the schema's DDL.
/// </summary>
internal abstract class SqlBackend
{
    protected SqlBackend(StorageUrl url)
    {
        Url = url;
    }

    private long _roundTrips;

    /// <summary>The storage's URL (its ToString masks the password).</summary>
    public StorageUrl Url { get; }

    /// <summary>How many statements (or batches of statements) and commits this backend has sent: its round trips to a server.</summary>
    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    /// <summary>Counts one round trip (a statement or batch sent and answered, or a commit).</summary>
    public void CountRoundTrip() => Interlocked.Increment(ref _roundTrips);

    /// <summary>Whether statements can be sent several to a round trip (a server), which decides how a trial is started.</summary>
    public virtual bool Batches => false;

    /// <summary>Appended to a one-table SELECT to lock its rows until the transaction ends ("" where writes are serialized anyway).</summary>
    public abstract string ForUpdate { get; }

    /// <summary>Appended to a SELECT over trials alias <c>t</c> to lock its rows and skip those another transaction holds.</summary>
    public abstract string ForUpdateSkipLocked { get; }

    /// <summary>A parameter written to an enum column: <c>@p</c>, or <c>CAST(@p AS type)</c> where enums are native types.</summary>
    public abstract string Enum(string parameter, string enumType);

    /// <summary>Runs <paramref name="body"/> in one transaction of the given kind, retrying transient conflicts.</summary>
    public abstract T Run<T>(TransactionKind kind, Func<Db, T> body);

    /// <summary>Whether an error is a unique-constraint violation.</summary>
    public abstract bool IsUniqueViolation(DbException e);

    /// <summary>The timestamp value to bind for a UTC time.</summary>
    public abstract object Time(DateTime utc);

    /// <summary>Reads a timestamp column as UTC.</summary>
    public abstract DateTime ReadTime(DbDataReader reader, int ordinal);

    /// <summary>SQL that reads a timestamp column as text in <see cref="TimeFormat"/>.</summary>
    public abstract string TimeAsText(string column);

    /// <summary>SQL that reads an enum column as text.</summary>
    public abstract string EnumAsText(string column);

    /// <summary>How timestamps are written as text (SQLAlchemy's format for SQLite).</summary>
    public const string TimeFormat = "yyyy-MM-dd HH:mm:ss.ffffff";

    private static readonly string[] ReadFormats = [TimeFormat, "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss"];

    /// <summary>Parses a timestamp written as text (with or without fractional seconds) as UTC.</summary>
    public static DateTime ParseTime(string text) =>
        DateTime.SpecifyKind(DateTime.ParseExact(text, ReadFormats, CultureInfo.InvariantCulture, DateTimeStyles.None), DateTimeKind.Utc);

    /// <summary>
    /// The first step of <see cref="IStorage.GetTrialsChangedSince"/>: the study's current version (0 when it has none
    /// yet; -1 when it comes from a snapshot read with the trials, see <see cref="SnapshotRowSql"/>), and which trials
    /// changed since <paramref name="since"/> (&gt; 0): a condition on <c>hone_trial_versions</c> alias <c>v</c> with its
    /// parameters, or null when nothing changed. Here a study's version counts its writes.
    /// </summary>
    public virtual ChangeQuery ChangesSince(Db db, long studyId, long since)
    {
        var current = db.Scalar("SELECT version FROM hone_study_versions WHERE study_id = @s", ("@s", studyId)) is { } v ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : 0;
        return since >= current && since > 0 ? new ChangeQuery(current, null, []) : new ChangeQuery(current, "v.version > @v", [("@v", since)]);
    }

    /// <summary>
    /// Where versions come from snapshots: a row of the trial-loading UNION (kind 9, the snapshot as text in the fourth
    /// column), so that the snapshot is the one the trials were read in, at no extra round trip.
    /// </summary>
    public virtual string? SnapshotRowSql => null;

    /// <summary>The version to return for the snapshot <see cref="SnapshotRowSql"/> read.</summary>
    public virtual long VersionOf(string snapshot) => throw new NotSupportedException("This database's versions do not come from snapshots.");

    /// <summary>The clock heartbeats are compared against: the database server's where there is one.</summary>
    public virtual DateTime Now(Db db) => TimeProvider.System.GetUtcNow().UtcDateTime;

    /// <summary>SQL for "now" in a heartbeat: the database server's clock where there is one, else <paramref name="localParameter"/> (this machine's UTC time).</summary>
    public virtual string NowSql(string localParameter) => localParameter;

    /// <summary>
    /// SQL for the time before which a heartbeat is stale: <paramref name="cutoffParameter"/> (this machine's clock minus
    /// the grace period), or where the database has a clock, its time minus <paramref name="graceParameter"/> (an interval).
    /// </summary>
    public virtual string CutoffSql(string cutoffParameter, string graceParameter) => cutoffParameter;

    /// <summary>Creates the schema when absent, or checks that an existing one is a revision Hone understands.</summary>
    public abstract void EnsureSchema();

    /// <summary>Turns a driver error into a <see cref="StorageException"/> that names the URL and what to check.</summary>
    public StorageException Wrap(Exception e, string? hint = null) =>
        e as StorageException ?? new StorageException(Url, string.Create(CultureInfo.InvariantCulture, $"{e.Message.TrimEnd('.')}. {hint}"), e);

    /// <summary>Timestamps are stored with microsecond precision (as Python's datetime has).</summary>
    public static DateTime Truncate(DateTime utc) => new(utc.Ticks - (utc.Ticks % 10), DateTimeKind.Utc);
}

/// <summary>What <see cref="SqlBackend.ChangesSince"/> found: the version to return, and the condition selecting the changed trials (null: none changed).</summary>
internal sealed record ChangeQuery(long Version, string? Condition, (string Name, object? Value)[] Parameters);
