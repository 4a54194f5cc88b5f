namespace Hone.Storage.Journal;

/// <summary>
/// The inter-process lock of a journal file: <c>FILE.lock</c> exists while one writer appends. Created atomically as
/// a symbolic link or with O_EXCL, exactly where Optuna's journal locks create it, so Hone and Optuna writers exclude
/// each other.
/// </summary>
internal sealed class JournalFileLock
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(1000);

    private readonly string _target;
    private readonly string _lockPath;
    private readonly JournalLockKind _kind;
    private readonly TimeSpan? _staleAfter;

    public JournalFileLock(string journalPath, JournalLockKind kind, TimeSpan? staleAfter)
    {
        _target = journalPath;
        _lockPath = journalPath + ".lock";
        _kind = kind;
        _staleAfter = staleAfter;
    }

    public string LockPath => _lockPath;

    /// <summary>Blocks until this process holds the lock.</summary>
    public void Acquire()
    {
        // Backing off up to a second, as Optuna does, lets a writer that just released the lock take it again at once
        // while the others sleep: a lock handed round many polling writers leaves it idle between holders.
        var wait = TimeSpan.FromMilliseconds(0.5);
        var vanished = 0;
        while (!TryCreate(ref vanished))
        {
            if (_staleAfter is { } stale && BreakIfStale(stale))
            {
                continue;
            }

            Thread.Sleep(wait + TimeSpan.FromMilliseconds(Random.Shared.NextDouble()));
            wait = wait * 2 < MaxBackoff ? wait * 2 : MaxBackoff;
        }
    }

    /// <summary>Gives the lock up.</summary>
    public void Release() => File.Delete(_lockPath);

    private bool TryCreate(ref int vanished)
    {
        try
        {
            if (_kind == JournalLockKind.Symlink)
            {
                File.CreateSymbolicLink(_lockPath, _target);
            }
            else
            {
                File.OpenHandle(_lockPath, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete).Dispose();
            }

            return true;
        }
        catch (IOException) when (Exists())
        {
            return false;
        }
        catch (IOException) when (++vanished < 1000)
        {
            // The holder released the lock between our attempt and our look: try again. A thousand in a row is another error.
            return false;
        }
    }

    private bool Exists() => new FileInfo(_lockPath) is { } info && (info.Exists || info.LinkTarget is not null);

    /// <summary>
    /// Removes a lock older than <paramref name="stale"/> (its holder was killed between taking and releasing it). The
    /// lock is renamed to a name of this process's own first, so of several processes that find it stale one removes it.
    /// </summary>
    private bool BreakIfStale(TimeSpan stale)
    {
        var info = new FileInfo(_lockPath);
        if (info.LinkTarget is null && !info.Exists)
        {
            return true;
        }

        if (DateTime.UtcNow - info.LastWriteTimeUtc < stale)
        {
            return false;
        }

        var aside = $"{_lockPath}{Guid.NewGuid():N}.stale";
        try
        {
            File.Move(_lockPath, aside);
        }
        catch (IOException)
        {
            return false;
        }

        // Another process may have broken the stale lock and taken a fresh one between our look and our rename: a lock
        // younger than the grace period is put back at once.
        var moved = new FileInfo(aside);
        if (DateTime.UtcNow - moved.LastWriteTimeUtc < stale)
        {
            try
            {
                File.Move(aside, _lockPath);
                return false;
            }
            catch (IOException)
            {
            }
        }

        File.Delete(aside);
        return true;
    }
}
