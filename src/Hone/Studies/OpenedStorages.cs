using Hone.Storage;

namespace Hone.Studies;

/// <summary>
/// The storages the library opened itself from URLs (for a <see cref="Study"/> created with
/// <see cref="StudyOptions.StorageUrl"/>, or a one-off call such as <see cref="Study.GetAllStudies(StorageUrl)"/>).
/// They are closed when their owner is disposed, and, for a process that exits without disposing, from a process-exit
/// hook: a SQLite file is then left complete on its own, with its WAL checkpointed and removed.
/// </summary>
internal static class OpenedStorages
{
    private static readonly Lock Gate = new();
    private static readonly List<WeakReference<IDisposable>> Tracked = [];
    private static bool _hooked;

    /// <summary>Opens the storage at <paramref name="url"/> and tracks it until <see cref="Close"/>.</summary>
    public static IStorage Open(StorageUrl url)
    {
        var storage = url.Open();
        if (storage is IDisposable disposable)
        {
            lock (Gate)
            {
                if (!_hooked)
                {
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => CloseAll();
                    _hooked = true;
                }

                Tracked.RemoveAll(w => !w.TryGetTarget(out _));
                Tracked.Add(new WeakReference<IDisposable>(disposable));
            }
        }

        return storage;
    }

    /// <summary>Closes a storage the library opened (and untracks it); other storages are only untracked.</summary>
    public static void Close(IStorage storage)
    {
        if (storage is not IDisposable disposable)
        {
            return;
        }

        lock (Gate)
        {
            Tracked.RemoveAll(w => !w.TryGetTarget(out var s) || ReferenceEquals(s, disposable));
        }

        disposable.Dispose();
    }

    private static void CloseAll()
    {
        IDisposable[] open;
        lock (Gate)
        {
            open = [.. Tracked.Select(w => w.TryGetTarget(out var s) ? s : null).OfType<IDisposable>()];
            Tracked.Clear();
        }

        foreach (var storage in open)
        {
            try
            {
                storage.Dispose();
            }
#pragma warning disable CA1031 // the process is exiting; one storage that fails to close must not stop the others
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}
