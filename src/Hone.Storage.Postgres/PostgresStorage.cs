using Hone.Storage.Relational;

namespace Hone.Storage.Postgres;

/// <summary>
/// A storage in a PostgreSQL database with Optuna's schema: many worker processes on many machines share a
/// study, and Optuna's tools read it as is.
/// </summary>
/// <remarks>
/// <para>Trial numbers come from a row lock on the study; waiting trials are popped with <c>FOR UPDATE SKIP LOCKED</c>;
/// heartbeats use the server's clock, so workers' clocks need not agree.</para>
/// <para>Open one with <c>new PostgresStorage("postgresql://user:password@host:5432/db")</c> or through a URL in
/// <see cref="Studies.StudyOptions.StorageUrl"/>. The keyword form (<c>host=h dbname=d user=u password=p</c>) works too.</para>
/// </remarks>
public sealed class PostgresStorage : RelationalStorage, IDisposable
{
    /// <summary>Opens the database a <c>postgresql://</c> URL (or keyword connection string) names, creating the schema if absent.</summary>
    /// <exception cref="StorageException">The URL is invalid, the server unreachable, the password wrong, or the schema one Hone does not understand.</exception>
    public PostgresStorage(StorageUrl url)
        : base(new PostgresBackend(Check(url)))
    {
    }

    /// <summary>Opens the database a URL names.</summary>
    public PostgresStorage(string url)
        : this(StorageUrl.Parse(url))
    {
    }

    /// <summary>Releases nothing: connections are pooled per server and database for the whole process.</summary>
    public void Dispose() => ((PostgresBackend)Backend).Dispose();

    /// <summary>Registers the <c>postgresql</c> scheme with <see cref="StorageUrl"/>; runs when this assembly loads.</summary>
#pragma warning disable CA2255 // the provider registers its scheme when its assembly loads; that is the point
    [System.Runtime.CompilerServices.ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => StorageUrl.RegisterProvider("postgresql", url => new PostgresStorage(url));

    private static StorageUrl Check(StorageUrl url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.Scheme == "postgresql" ? url : throw new ArgumentException($"PostgresStorage needs a postgresql:// URL, got {url}.", nameof(url));
    }
}
