using Hone.Storage;

namespace Hone.Cli;

/// <summary>Opens the storage a URL names (through <see cref="StorageUrl"/> and its providers).</summary>
internal static class StorageFactory
{
    private static readonly Lock Gate = new();
    private static readonly AsyncLocal<Scope?> Current = new();
    private static InMemoryStorage? _memory;

    /// <summary>
    /// Starts a scope (one command's run): every storage <see cref="Open"/> opens within it is closed when the scope is
    /// disposed. Scopes follow the async flow, so commands run at once in one process (tests) keep theirs apart.
    /// </summary>
    public static IDisposable BeginScope() => Current.Value = new Scope();

    /// <summary>
    /// Opens <paramref name="url"/>. <c>inmemory</c> is one storage shared by every command run in this process
    /// (so that in-process callers can inspect what a run left).
    /// </summary>
    /// <exception cref="ArgumentException">The text is not a storage URL.</exception>
    /// <exception cref="UsageException">The URL's scheme is none of inmemory, sqlite, journal, postgresql.</exception>
    /// <exception cref="StorageException">The storage cannot be opened.</exception>
    public static IStorage Open(string url)
    {
        var parsed = StorageUrl.Parse(url);
        if (parsed.Scheme is not ("inmemory" or "sqlite" or "journal" or "postgresql"))
        {
            throw new UsageException($"storage \"{parsed}\" has the scheme \"{parsed.Scheme}\", which hone does not know; " +
                "use sqlite:///relative/path.db, sqlite:////absolute/path.db, journal:///relative/path.log, journal:////absolute/path.log, " +
                "postgresql://user:password@host:port/database or inmemory");
        }

        if (parsed.Scheme == "inmemory")
        {
            lock (Gate)
            {
                return _memory ??= new InMemoryStorage();
            }
        }

        var storage = parsed.Open();
        if (storage is IDisposable disposable)
        {
            Current.Value?.Add(disposable);
        }

        return storage;
    }

    private sealed class Scope : IDisposable
    {
        private readonly List<IDisposable> _opened = [];

        public void Add(IDisposable storage)
        {
            lock (_opened)
            {
                _opened.Add(storage);
            }
        }

        public void Dispose()
        {
            IDisposable[] opened;
            lock (_opened)
            {
                opened = [.. _opened];
                _opened.Clear();
            }

            foreach (var storage in opened)
            {
                storage.Dispose();
            }

            Current.Value = null;
        }
    }

    /// <summary>The URL for messages (password masked).</summary>
    public static string Display(string url)
    {
        try
        {
            return StorageUrl.Parse(url).ToString();
        }
        catch (ArgumentException)
        {
            return url;
        }
    }
}
