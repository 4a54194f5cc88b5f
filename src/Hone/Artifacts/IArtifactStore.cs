namespace Hone.Artifacts;

/// <summary>
/// Where the bytes of checkpoints and other trial artifacts live, by artifact id. The study's storage keeps only their
/// metadata (id, step, SHA-256, size) in trial system attributes, so every process sharing the study finds them.
/// </summary>
/// <remarks>
/// Rules for implementations: <see cref="Write"/> is atomic (a reader sees the whole artifact or none of it, even when
/// the writing process is killed mid-write), an id is written once and never changed, and every member is safe to call
/// from several threads and processes at once.
/// </remarks>
public interface IArtifactStore
{
    /// <summary>Stores <paramref name="content"/> under <paramref name="artifactId"/>, atomically.</summary>
    /// <param name="artifactId">A name of letters, digits, '-', '_' and '.', unique in the store.</param>
    /// <param name="content">The bytes, read to their end.</param>
    void Write(string artifactId, Stream content);

    /// <summary>Opens a stored artifact for reading.</summary>
    /// <exception cref="FileNotFoundException">No artifact has that id.</exception>
    Stream OpenRead(string artifactId);

    /// <summary>Whether an artifact with that id exists.</summary>
    bool Exists(string artifactId);

    /// <summary>Removes an artifact; nothing happens when it does not exist.</summary>
    void Delete(string artifactId);
}
