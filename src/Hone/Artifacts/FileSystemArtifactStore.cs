using System.Security.Cryptography;

namespace Hone.Artifacts;

/// <summary>
/// An artifact store in a folder: one file per artifact. Writes go to a temporary file in the same folder, are flushed
/// to the disk (fsync) and then renamed over the final name, so a process killed at any instant leaves either the
/// whole artifact or none (only an orphaned <c>.tmp</c> file, which readers never see).
/// </summary>
/// <remarks>
/// The default store of a study on SQLite or a journal file is the folder beside the database, <c>&lt;file&gt;.artifacts</c>
/// (see <see cref="ArtifactStores.ForStorage"/>); several processes on one machine, or on a shared filesystem with atomic
/// rename, share it.
/// </remarks>
public sealed class FileSystemArtifactStore : IArtifactStore
{
    /// <summary>Uses the folder <paramref name="root"/>, created at the first write.</summary>
    /// <param name="root">The folder; a relative path is taken from the current directory.</param>
    public FileSystemArtifactStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The folder that holds the artifacts.</summary>
    public string Root { get; }

    /// <inheritdoc/>
    public void Write(string artifactId, Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var final = PathOf(artifactId);
        Directory.CreateDirectory(Root);
        var temp = Path.Combine(Root, $".{artifactId}.{Convert.ToHexString(RandomNumberGenerator.GetBytes(6))}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920))
            {
                content.CopyTo(file);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, final, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="FileNotFoundException">No artifact has that id.</exception>
    public Stream OpenRead(string artifactId) =>
        new FileStream(PathOf(artifactId), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920);

    /// <inheritdoc/>
    public bool Exists(string artifactId) => File.Exists(PathOf(artifactId));

    /// <inheritdoc/>
    public void Delete(string artifactId) => TryDelete(PathOf(artifactId));

    /// <inheritdoc/>
    public override string ToString() => $"artifacts in {Root}";

    private string PathOf(string artifactId)
    {
        ArtifactIds.Check(artifactId);
        return Path.Combine(Root, artifactId);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Another process removed or holds it; a leftover file is harmless, it is never read.
        }
    }
}
