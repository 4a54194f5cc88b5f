using System.Globalization;

namespace Hone.Storage.Journal;

/// <summary>
/// Reads a <c>journal:///relative/path.log</c> or <c>journal:////absolute/path.log</c> URL (three slashes, then the
/// path, as SQLite URLs) and its options <c>lock=symlink|open</c> and <c>stale_lock_seconds=N</c> (0: never).
/// </summary>
internal static class JournalUrl
{
    public const string OptionsHelp =
        "journal URLs take lock=symlink|open (Optuna's JournalFileSymlinkLock or JournalFileOpenLock; default symlink) and " +
        "stale_lock_seconds=N (remove a lock file older than N seconds, left by a killed writer; 0 never; default 60).";

    public static string Path(StorageUrl url)
    {
        Check(url);
        var value = url.Value;
        var sep = value.IndexOf("://", StringComparison.Ordinal);
        if (value.Length <= sep + 3 || value[sep + 3] != '/')
        {
            throw new StorageException(url, "has a host part or no path; journal URLs have three slashes: journal:///relative/path.log or journal:////absolute/path.log.");
        }

        var rest = value[(sep + 4)..];
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        var path = Uri.UnescapeDataString(q >= 0 ? rest[..q] : rest);
        return path.Length > 0 ? path : throw new StorageException(url, "names no journal file; write journal:///relative/path.log or journal:////absolute/path.log.");
    }

    public static JournalLockKind LockKind(StorageUrl url) => Option(url, "lock") switch
    {
        null => JournalLockKind.Symlink,
        var v when v.Equals("symlink", StringComparison.OrdinalIgnoreCase) => JournalLockKind.Symlink,
        var v when v.Equals("open", StringComparison.OrdinalIgnoreCase) => JournalLockKind.Open,
        var v => throw new StorageException(url, $"has lock={v}; " + OptionsHelp),
    };

    public static TimeSpan? StaleLockAge(StorageUrl url) => Option(url, "stale_lock_seconds") switch
    {
        null => JournalStorage.DefaultStaleLockAge,
        var v when double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 0 && s <= 86400 =>
            s == 0 ? null : TimeSpan.FromSeconds(s),
        var v => throw new StorageException(url, $"has stale_lock_seconds={v}; " + OptionsHelp),
    };

    private static void Check(StorageUrl url)
    {
        if (!string.Equals(url.Scheme, "journal", StringComparison.Ordinal))
        {
            throw new ArgumentException($"JournalStorage needs a journal:/// URL, got {url}.", nameof(url));
        }

        foreach (var (key, _) in Options(url))
        {
            if (key is not ("lock" or "stale_lock_seconds"))
            {
                throw new StorageException(url, $"has the unknown option \"{key}\"; " + OptionsHelp);
            }
        }
    }

    private static string? Option(StorageUrl url, string name) =>
        Options(url).Where(o => o.Key == name).Select(o => o.Value).FirstOrDefault();

    private static IEnumerable<(string Key, string Value)> Options(StorageUrl url)
    {
        var q = url.Value.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
        {
            yield break;
        }

        foreach (var pair in url.Value[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            yield return (Uri.UnescapeDataString(kv[0]).ToLowerInvariant(), kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : string.Empty);
        }
    }
}
