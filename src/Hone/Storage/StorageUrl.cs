using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Hone.Storage;

/// <summary>
/// Names a storage: <c>inmemory</c>, <c>sqlite:///relative/path.db</c>, <c>sqlite:////absolute/path.db</c>,
/// <c>postgresql://user:password@host:port/db</c>, or PostgreSQL's keyword form
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

        return new StorageUrl(text, scheme, masked);
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
                    : $"has the scheme \"{Scheme}\", for which no storage provider is loaded. Hone knows inmemory, sqlite (package Hone.Storage.Sqlite) " +
                      $"and postgresql (package Hone.Storage.Postgres); a provider for \"{Scheme}\" must call StorageUrl.RegisterProvider first.";
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

    private const string FormsHelp =
        "Use inmemory, sqlite:///relative/path.db, sqlite:////absolute/path.db, postgresql://user:password@host:port/database, " +
        "or PostgreSQL's keyword form (host=... dbname=... user=... password=...).";

    [GeneratedRegex(@"(?i)^\s*(host|server|dbname|database|user|username|port)\s*=")]
    private static partial Regex KeywordPair();

    [GeneratedRegex(@"(?i)((?:password|pwd)\s*=\s*)('[^']*'|[^;\s]*)")]
    private static partial Regex PasswordPair();
}
