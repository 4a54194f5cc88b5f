using Hone.Studies;

namespace Hone.Storage;

/// <summary>What a storage knows of a study: its identifier, name and objective directions.</summary>
/// <param name="StudyId">The storage's identifier of the study.</param>
/// <param name="Name">The study's unique name.</param>
/// <param name="Directions">One direction per objective.</param>
public sealed record StudyRecord(long StudyId, string Name, IReadOnlyList<StudyDirection> Directions);
