using Hone.Storage;

namespace Hone.Artifacts;

/// <summary>Opens artifact stores by location, and finds the default store of a study's storage.</summary>
public static class ArtifactStores
{
    /// <summary>
    /// The default artifact store for a storage URL: for a file database (<c>sqlite:///hone.db</c>,
    /// <c>journal:///hone.log</c>) the folder beside it, <c>hone.db.artifacts</c>; null for a server or in-memory storage,
    /// whose studies need <see cref="Studies.StudyOptions.ArtifactStore"/> set to save checkpoints.
    /// </summary>
    public static IArtifactStore? ForStorage(StorageUrl url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme is not ("sqlite" or "journal") || !url.Value.Contains(":///", StringComparison.Ordinal))
        {
            return null;
        }

        var path = url.SqlitePath();
        return path.Length == 0 || path == ":memory:" ? null : new FileSystemArtifactStore(path + ".artifacts");
    }

    /// <summary>Opens a store from a folder path or a <c>file:///</c> URL.</summary>
    /// <exception cref="ArgumentException">The location is neither.</exception>
    public static IArtifactStore Open(string location)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        if (location.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            return new FileSystemArtifactStore(new Uri(location).LocalPath);
        }

        if (location.Contains("://", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Artifact location \"{location}\" is not supported; use a folder path or a file:/// URL.", nameof(location));
        }

        return new FileSystemArtifactStore(location);
    }
}
