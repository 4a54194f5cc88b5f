namespace Hone.Artifacts;

/// <summary>
/// What the study's storage records about one saved checkpoint (in the trial's <c>checkpoints</c> system attribute):
/// where its bytes are, the training step it was taken at, and their SHA-256 and size, checked on every load.
/// </summary>
/// <param name="ArtifactId">The id of the bytes in the study's <see cref="IArtifactStore"/>.</param>
/// <param name="Step">The training step the checkpoint was taken at.</param>
/// <param name="Sha256">The SHA-256 of the bytes, lowercase hex.</param>
/// <param name="Size">The number of bytes.</param>
public sealed record CheckpointRecord(string ArtifactId, int Step, string Sha256, long Size);
