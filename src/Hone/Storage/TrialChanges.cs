using Hone.Trials;

namespace Hone.Storage;

/// <summary>
/// The answer to "which trials changed since version V": the changed trials (each in its latest form)
/// and the version to ask from next time.
/// </summary>
/// <param name="Trials">Trials created or changed after the version asked for, in no particular order.</param>
/// <param name="Version">The storage's version for the study now; pass it to the next call.</param>
public sealed record TrialChanges(IReadOnlyList<FrozenTrial> Trials, long Version);
