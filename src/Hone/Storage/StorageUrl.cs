using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Hone.Storage;

/// <summary>
/// Names a storage: <c>inmemory</c>, <c>sqlite:///relative/path.db</c>, <c>sqlite:////absolute/path.db</c>,
/// <c>journal:///relative/path.log</c> (Optuna's journal file), <c>postgresql://user:password@host:port/db</c>, or PostgreSQL's keyword form
/// (<c>host=h port=5432 dbname=d user=u password=p</c>, or Npgsql's <c>Host=h;Database=d;...</c>).
/// </summary>
/// <remarks>
/// <para>The core library knows no database: a provider assembly (Hone.Storage.Sqlite, Hone.Storage.Postgres)
/// registers a factory for its schemes with <see cref="RegisterProvider"/> when it loads. <see cref="Open"/> loads
/// the provider assembly of a known scheme by name if it has not registered yet, so referencing the package is enough.</para>
/// <para><see cref="ToString"/> masks the password; use it in messages and logs.</para>
/// </remarks>
public sealed partial class StorageUrl : IEquatable<StorageUrl>
{
    private static readonly ConcurrentDictionary<string, Func<StorageUrl, IStorage>> Providers = new(StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, string> KnownProviders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sqlite"] = "Hone.Storage.Sqlite",
        ["postgresql"] = "Hone.Storage.Postgres",
        ["journal"] = "Hone.Storage.Journal",
    };

    private StorageUrl(string value, string scheme, string masked)
    {
        Value = value;
        Scheme = scheme;
        Masked = masked;
    }

    /// <summary>The scheme: <c>inmemory</c>, <c>sqlite</c> or <c>postgresql</c> (or one a provider registered).</summary>
    public string Scheme { get; }

    /// <summary>The URL as given, password included. Do not log it; log <see cref="ToString"/>.</summary>
    public string Value { get; }

    /// <summary>The URL with its password replaced by <c>***</c>.</summary>
    public string Masked { get; }

    /// <summary>Whether <see cref="Value"/> is PostgreSQL's keyword form rather than a URL.</summary>
    public bool IsKeywordForm => !Value.Contains("://", StringComparison.Ordinal) && Scheme == "postgresql";

    /// <summary>Parses a storage URL.</summary>
    /// <exception cref="ArgumentException">The text is not a storage URL; the message says which forms are.</exception>
    public static StorageUrl Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var text = url.Trim();
        var masked = Mask(text);
        if (text.Length == 0)
        {
            throw new ArgumentException("The storage URL is empty. " + FormsHelp, nameof(url));
        }

        if (text.Equals("inmemory", StringComparison.OrdinalIgnoreCase) || text.Equals("inmemory://", StringComparison.OrdinalIgnoreCase))
        {
            return new StorageUrl(text, "inmemory", masked);
        }

        var sep = text.IndexOf("://", StringComparison.Ordinal);
        if (sep < 0)
        {
            if (KeywordPair().IsMatch(text))
            {
                return new StorageUrl(text, "postgresql", masked);
            }

            throw new ArgumentException($"\"{masked}\" is not a storage URL. " + FormsHelp, nameof(url));
        }

        var scheme = text[..sep];
        var plus = scheme.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            scheme = scheme[..plus]; // SQLAlchemy's driver suffix (postgresql+psycopg2) names a Python driver; ignore it.
        }

        scheme = scheme.ToLowerInvariant() switch
        {
            "postgres" => "postgresql",
            var s => s,
        };
        if (scheme.Length == 0 || !scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
        {
            throw new ArgumentException($"\"{masked}\" has no valid scheme before \"://\". " + FormsHelp, nameof(url));
        }

        if (scheme == "sqlite" && text.Length <= sep + 4)
        {
            throw new ArgumentException($"\"{masked}\" names no database file; write sqlite:///relative/path.db or sqlite:////absolute/path.db.", nameof(url));
        }

        if (scheme == "sqlite" && text[sep + 3] != '/')
        {
            throw new ArgumentException(
                $"\"{masked}\" has a host part; SQLite URLs have three slashes: sqlite:///relative/path.db or sqlite:////absolute/path.db.", nameof(url));
        }

        if (scheme == "journal" && (text.Length <= sep + 4 || text[sep + 3] != '/' || text[sep + 4] == '?'))
        {
            throw new ArgumentException(
                $"\"{masked}\" names no journal file; journal URLs have three slashes: journal:///relative/path.log or journal:////absolute/path.log.", nameof(url));
        }

        if (StructureProblem(text, scheme, sep) is { } problem)
        {
            throw new ArgumentException($"\"{masked}\" {problem}", nameof(url));
        }

        return new StorageUrl(text, scheme, masked);
    }

    /// <summary>
    /// Says what is wrong with a storage URL, or returns null: everything <see cref="Parse"/> refuses, and for the
    /// built-in schemes (sqlite, postgresql) also the options and values their providers would refuse when opening.
    /// Nothing is opened or connected to, so a command can check a URL before it runs anything.
    /// </summary>
    /// <remarks>A scheme registered by another provider is checked only as far as <see cref="Parse"/> goes.</remarks>
    public static string? Problem(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        StorageUrl parsed;
        try
        {
            parsed = Parse(url);
        }
        catch (ArgumentException e)
        {
            return StripParameterName(e.Message);
        }

        return parsed.Scheme switch
        {
            "sqlite" => parsed.SqliteOptionProblem(),
            "postgresql" => parsed.PostgresOptionProblem(),
            "journal" => parsed.JournalOptionProblem(),
            _ => null,
        };
    }

    /// <summary>Parses a storage URL (the named alternative of the implicit conversion).</summary>
    public static StorageUrl FromString(string url) => Parse(url);

    /// <summary>Parses a storage URL, so that <c>StorageUrl = "sqlite:///hone.db"</c> reads naturally.</summary>
    public static implicit operator StorageUrl(string url) => Parse(url);

    /// <summary>
    /// Registers how to open storages of a scheme. Provider assemblies call this when they load; a later
    /// registration of the same scheme replaces the earlier one.
    /// </summary>
    public static void RegisterProvider(string scheme, Func<StorageUrl, IStorage> open)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        ArgumentNullException.ThrowIfNull(open);
        Providers[scheme] = open;
    }

    /// <summary>
    /// The path of a <c>sqlite:///</c> URL: what follows the third slash (so <c>sqlite:////abs.db</c> is <c>/abs.db</c>),
    /// without a query string.
    /// </summary>
    public string SqlitePath()
    {
        var rest = Value[(Value.IndexOf("://", StringComparison.Ordinal) + 4)..];
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        return Uri.UnescapeDataString(q >= 0 ? rest[..q] : rest);
    }

    /// <summary>Opens the storage the URL names.</summary>
    /// <exception cref="StorageException">No provider handles the scheme, or the provider could not open the storage.</exception>
    public IStorage Open()
    {
        if (Scheme == "inmemory")
        {
            return new InMemoryStorage();
        }

        if (!Providers.TryGetValue(Scheme, out var open))
        {
            LoadKnownProvider();
            if (!Providers.TryGetValue(Scheme, out open))
            {
                var message = KnownProviders.TryGetValue(Scheme, out var assembly)
                    ? $"needs the {assembly} package, and this application does not reference it ({assembly}.dll could not be loaded). " +
                      $"Add it to the project that runs (until Hone's first release: dotnet add reference path/to/hone/src/{assembly}); " +
                      "then the URL works without touching any of its types."
                    : $"has the scheme \"{Scheme}\", for which no storage provider is loaded. Hone knows inmemory, sqlite (package Hone.Storage.Sqlite), " +
                      $"journal (package Hone.Storage.Journal) and postgresql (package Hone.Storage.Postgres); a provider for \"{Scheme}\" must call StorageUrl.RegisterProvider first.";
                throw new StorageException(this, message);
            }
        }

        try
        {
            return open(this);
        }
        catch (StorageException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new StorageException(this, $"could not be opened: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Masked;

    /// <inheritdoc/>
    public bool Equals(StorageUrl? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as StorageUrl);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Replaces the password of a URL or keyword connection string by <c>***</c>.</summary>
    internal static string Mask(string text)
    {
        var sep = text.IndexOf("://", StringComparison.Ordinal);
        if (sep >= 0)
        {
            var authorityEnd = text.IndexOfAny(['/', '?'], sep + 3);
            var authority = authorityEnd < 0 ? text[(sep + 3)..] : text[(sep + 3)..authorityEnd];
            var at = authority.LastIndexOf('@');
            if (at >= 0)
            {
                var colon = authority.IndexOf(':', StringComparison.Ordinal);
                if (colon >= 0 && colon < at)
                {
                    text = string.Concat(text.AsSpan(0, sep + 3 + colon + 1), "***", text.AsSpan(sep + 3 + at));
                }
            }
        }

        return PasswordPair().Replace(text, "$1***");
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The provider assemblies are known by name and referenced by the application.")]
    private void LoadKnownProvider()
    {
        if (!KnownProviders.TryGetValue(Scheme, out var name))
        {
            return;
        }

        try
        {
            var assembly = Assembly.Load(new AssemblyName(name));
            RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            // Not referenced: Open reports which package to add.
        }
    }

    /// <summary>What every URL of a scheme must have: no NUL, a host for PostgreSQL, a path for SQLite, each option once.</summary>
    private static string? StructureProblem(string text, string scheme, int sep)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return "contains a NUL character (\\0); remove it.";
        }

        var q = text.IndexOf('?', sep + 3);
        var query = q < 0 ? string.Empty : text[(q + 1)..];
        if (scheme == "sqlite" && (q < 0 ? text[(sep + 4)..] : text[(sep + 4)..q]).Length == 0)
        {
            return "names no database file; write sqlite:///relative/path.db or sqlite:////absolute/path.db.";
        }

        if (scheme == "postgresql")
        {
            var authorityEnd = text.IndexOfAny(['/', '?'], sep + 3);
            var authority = authorityEnd < 0 ? text[(sep + 3)..] : text[(sep + 3)..authorityEnd];
            var host = authority[(authority.LastIndexOf('@') + 1)..];
            var hasHostOption = QueryOptions(query).Any(o => o.Key.Equals("host", StringComparison.OrdinalIgnoreCase));
            if ((host.Length == 0 || host.StartsWith(':')) && !hasHostOption)
            {
                return "names no server; write postgresql://user:password@host:5432/database (or ?host=/path/of/socket/folder).";
            }
        }

        return RepeatedOption(QueryOptions(query))
            is { } repeated ? $"gives the option \"{repeated}\" more than once; give each option once." : null;
    }

    private static string? RepeatedOption(IEnumerable<KeyValuePair<string, string>> options)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, _) in options)
        {
            if (!seen.Add(key))
            {
                return key;
            }
        }

        return null;
    }

    /// <summary>The key=value options of a query string, decoded; a pair without "=" has an empty value.</summary>
    private static IEnumerable<KeyValuePair<string, string>> QueryOptions(string query)
    {
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            yield return new(Unescape(kv[0]), kv.Length == 2 ? Unescape(kv[1]) : string.Empty);
        }
    }

    private static string Unescape(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }

    private string? SqliteOptionProblem()
    {
        var q = Value.IndexOf('?', StringComparison.Ordinal);
        foreach (var (key, value) in QueryOptions(q < 0 ? string.Empty : Value[(q + 1)..]))
        {
            var ok = key.ToLowerInvariant() switch
            {
                "synchronous" => value.ToUpperInvariant() is "OFF" or "NORMAL" or "FULL" or "EXTRA",
                "timeout" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= 86400,
                _ => false,
            };
            if (!ok)
            {
                return $"\"{Masked}\" has the unknown or invalid option \"{key}={value}\"; SQLite URLs take synchronous=normal|full|extra|off " +
                       "and timeout=SECONDS (the busy timeout, at most 86400).";
            }
        }

        return null;
    }

    private string? JournalOptionProblem()
    {
        var q = Value.IndexOf('?', StringComparison.Ordinal);
        foreach (var (key, value) in QueryOptions(q < 0 ? string.Empty : Value[(q + 1)..]))
        {
            var ok = key.ToLowerInvariant() switch
            {
                "lock" => value.ToLowerInvariant() is "symlink" or "open",
                "stale_lock_seconds" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds <= 86400,
                _ => false,
            };
            if (!ok)
            {
                return $"\"{Masked}\" has the unknown or invalid option \"{key}={value}\"; journal URLs take lock=symlink|open " +
                       "and stale_lock_seconds=N (0 to 86400).";
            }
        }

        return null;
    }

    private string? PostgresOptionProblem()
    {
        IEnumerable<KeyValuePair<string, string>> options;
        if (IsKeywordForm)
        {
            if (Value.Contains(';', StringComparison.Ordinal))
            {
                var pairs = Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(p => p.Split('=', 2)).ToList();
                if (pairs.FirstOrDefault(p => p.Length != 2 || p[0].Length == 0) is { } bad)
                {
                    return $"\"{Masked}\": \"{bad[0]}\" is not a Key=Value pair of an Npgsql connection string.";
                }

                return RepeatedOption(pairs.Select(p => new KeyValuePair<string, string>(p[0], p[1]))) is { } again
                    ? $"\"{Masked}\" gives \"{again}\" more than once; give each key once."
                    : null;
            }

            var list = new List<KeyValuePair<string, string>>();
            foreach (var pair in Value.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = pair.Split('=', 2);
                if (kv.Length != 2)
                {
                    return $"\"{Masked}\": \"{kv[0]}\" is not a key=value pair; write host=... dbname=... user=... password=....";
                }

                list.Add(new(kv[0], kv[1].Trim('\'')));
            }

            if (RepeatedOption(list) is { } repeated)
            {
                return $"\"{Masked}\" gives \"{repeated}\" more than once; give each key once.";
            }

            if (!list.Any(o => o.Key.Equals("host", StringComparison.OrdinalIgnoreCase)))
            {
                return $"\"{Masked}\" names no server; add host=....";
            }

            options = list;
        }
        else
        {
            try
            {
                var uri = new Uri(Value);
                _ = uri.Port;
            }
            catch (UriFormatException e)
            {
                return $"\"{Masked}\" is not a valid PostgreSQL URL ({e.Message}); write postgresql://user:password@host:5432/database.";
            }

            var q = Value.IndexOf('?', StringComparison.Ordinal);
            options = QueryOptions(q < 0 ? string.Empty : Value[(q + 1)..]);
        }

        foreach (var (key, value) in options)
        {
            var problem = key.ToLowerInvariant() switch
            {
                "host" or "dbname" or "user" or "password" or "application_name" or "options" or "search_path" => null,
                "port" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
                    ? null : $"port must be a number from 1 to 65535, got \"{value}\".",
                "connect_timeout" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t <= 1024
                    ? null : $"connect_timeout must be a whole number of seconds from 0 to 1024, got \"{value}\".",
                "sslmode" => value.Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant()
                    is "disable" or "allow" or "prefer" or "require" or "verifyca" or "verifyfull"
                    ? null : $"sslmode must be disable, allow, prefer, require, verify-ca or verify-full, got \"{value}\".",
                _ => $"has the unknown option \"{key}\"; Hone understands host, port, dbname, user, password, sslmode, connect_timeout, " +
                     "application_name and search_path.",
            };
            if (problem is not null)
            {
                return $"\"{Masked}\" {problem}";
            }
        }

        return null;
    }

    /// <summary>An ArgumentException's message without the " (Parameter 'url')" the runtime appends.</summary>
    private static string StripParameterName(string message)
    {
        var cut = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private const string FormsHelp =
        "Use inmemory, sqlite:///relative/path.db, sqlite:////absolute/path.db, journal:///relative/path.log, postgresql://user:password@host:port/database, " +
        "or PostgreSQL's keyword form (host=... dbname=... user=... password=...).";

    [GeneratedRegex(@"(?i)^\s*(host|server|dbname|database|user|username|port)\s*=")]
    private static partial Regex KeywordPair();

    [GeneratedRegex(@"(?i)((?:password|pwd)\s*=\s*)('[^']*'|[^;\s]*)")]
    private static partial Regex PasswordPair();
}
