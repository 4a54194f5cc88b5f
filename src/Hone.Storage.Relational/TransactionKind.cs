namespace Hone.Storage.Relational;

/// <summary>What a transaction does, which decides how long its commit waits for the disk.</summary>
/// <remarks>
/// A change of a trial's or a study's state waits until its commit is on disk. A write that only adds to a trial (a
/// parameter, an intermediate value or a heartbeat of a running trial, a trial attribute) commits without that wait:
/// it is visible to every other client at once and survives the process being killed, and since the log is
/// sequential, the next state change's flush makes it durable too. Only an operating-system crash or power loss
/// between the two can lose it.
/// <para>Only SQLite makes this distinction: its writers all run on the machine whose crash would lose the write.
/// PostgreSQL commits everything synchronously, because workers on other machines outlive a crash of the database
/// server and would go on with a trial whose parameters the server had lost.</para>
/// </remarks>
internal enum TransactionKind
{
    /// <summary>Reads only.</summary>
    Read,

    /// <summary>Adds to a trial (parameter, intermediate value, heartbeat, attribute); on SQLite its commit does not wait for the disk.</summary>
    Write,

    /// <summary>Changes a trial's or a study's state; its commit waits until it is on disk.</summary>
    StateChange,

    /// <summary>
    /// Records a heartbeat, as <see cref="Write"/>. It never waits behind the process's own transactions (SQLite gives
    /// it a connection of its own), so a worker busy writing, or queued for the write lock, still beats on time.
    /// </summary>
    Heartbeat,
}
