using System.Globalization;

namespace Hone.Storage.Relational;

/// <summary>
/// The storage URL option <c>optuna_schema</c>: which Optuna alembic revision Hone creates in a new database,
/// because Optuna opens a database without <c>skip_compatibility_check</c> only when its revision is
/// Optuna's own head: <c>v3.0.0.d</c> for Optuna 3.0 and 3.1, <c>v3.2.0.a</c> for Optuna 3.2 to 4.x.
/// </summary>
internal static class OptunaSchemaOption
{
    /// <summary>The option's key in a storage URL's query (or a libpq keyword string).</summary>
    public const string Key = "optuna_schema";

    /// <summary>The revision Optuna 3.0 and 3.1 expect.</summary>
    public const string Optuna30 = "v3.0.0.d";

    /// <summary>The revision Optuna 3.2 to 4.x expect; Hone's default.</summary>
    public const string Optuna32 = "v3.2.0.a";

    private const string Accepted =
        "write optuna_schema=3.0 (or 3.1, or v3.0.0.d) for a database that Optuna 3.0 and 3.1 open plainly, " +
        "or optuna_schema=3.2 (3.2 to 4.x, or v3.2.0.a; the default) for Optuna 3.2 and later";

    /// <summary>The revision the URL asks for, or null when it does not say.</summary>
    /// <exception cref="StorageException">The option's value names no Optuna version or revision Hone knows.</exception>
    public static string? Requested(StorageUrl url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var value = Find(url);
        if (value is null)
        {
            return null;
        }

        var text = value.Trim();
        if (text.Equals(Optuna30, StringComparison.OrdinalIgnoreCase) || text.Equals(Optuna32, StringComparison.OrdinalIgnoreCase))
        {
            return text.ToLowerInvariant();
        }

        var parts = text.Split('.');
        if (parts.Length is >= 1 and <= 3
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            && (parts.Length == 1 || int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            var minor = parts.Length == 1 ? 0 : int.Parse(parts[1], CultureInfo.InvariantCulture);
            switch (major)
            {
                case 3 when minor <= 1:
                    return Optuna30;
                case 3:
                case 4:
                    return Optuna32;
            }
        }

        throw new StorageException(url, $"has {Key}={value}, which names no Optuna version Hone can write a schema for; {Accepted}.");
    }

    /// <summary>The revision to record in a new database: the one asked for, or <see cref="HoneTables.CreatedRevision"/>.</summary>
    public static string ForNewDatabase(StorageUrl url) => Requested(url) ?? HoneTables.CreatedRevision;

    /// <summary>
    /// Refuses an existing database whose revision differs from the one the URL asks for: the option only
    /// chooses the revision of a new database, and silently ignoring it would leave Optuna unable to open it.
    /// </summary>
    public static void CheckExisting(StorageUrl url, string revision)
    {
        if (Requested(url) is { } wanted && !string.Equals(wanted, revision, StringComparison.Ordinal))
        {
            throw new StorageException(url,
                $"asks for {Key}={Find(url)} (revision {wanted}), but the database already has Optuna schema revision {revision}, " +
                $"which {OpensPlainly(revision)} open without skip_compatibility_check. The option only chooses the revision of a new database: " +
                "drop it from the URL, use a new database, or open this one in Optuna with RDBStorage(url, skip_compatibility_check=True).");
        }
    }

    /// <summary>The Optuna versions that open a revision plainly, for messages.</summary>
    public static string OpensPlainly(string revision) => revision == Optuna30 ? "Optuna 3.0 and 3.1" : "Optuna 3.2 to 4.x";

    private static string? Find(StorageUrl url)
    {
        var text = url.Value;
        if (text.Contains("://", StringComparison.Ordinal))
        {
            var q = text.IndexOf('?', StringComparison.Ordinal);
            if (q < 0)
            {
                return null;
            }

            string? found = null;
            foreach (var pair in text[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = pair.Split('=', 2);
                if (Uri.UnescapeDataString(kv[0]).Equals(Key, StringComparison.OrdinalIgnoreCase))
                {
                    found = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
                }
            }

            return found;
        }

        // PostgreSQL's libpq keyword form ("k=v k=v"); Npgsql's own form ("K=v;K=v") takes Npgsql's keywords only.
        foreach (var pair in text.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            if (kv.Length == 2 && kv[0].Trim().Equals(Key, StringComparison.OrdinalIgnoreCase))
            {
                return kv[1].Trim().Trim('\'');
            }
        }

        return null;
    }
}
