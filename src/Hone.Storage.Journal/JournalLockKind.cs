namespace Hone.Storage.Journal;

/// <summary>
/// How writers of a journal file take turns: both create <c>FILE.lock</c> beside the journal, the way Optuna's
/// <c>JournalFileSymlinkLock</c> and <c>JournalFileOpenLock</c> do, so Hone and Optuna processes exclude each other.
/// </summary>
public enum JournalLockKind
{
    /// <summary>
    /// A symbolic link created with <c>symlink()</c> (atomic on NFSv2 and later; Optuna's default). URL option <c>lock=symlink</c>.
    /// </summary>
    Symlink = 0,

    /// <summary>
    /// A file created with <c>open(O_CREAT | O_EXCL)</c> (atomic on NFSv3 and later; for file systems without symbolic
    /// links). URL option <c>lock=open</c>.
    /// </summary>
    Open = 1,
}
