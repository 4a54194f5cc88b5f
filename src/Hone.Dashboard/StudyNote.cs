using System.Globalization;
using System.Text;
using System.Text.Json;
using Hone.Storage;

namespace Hone.Dashboard;

/// <summary>
/// A study's note, kept in study system attributes in optuna-dashboard's format, so either dashboard reads the other's
/// notes: <c>dashboard:note_ver</c> (a version number) and the text in chunks of 2,045 characters under
/// <c>dashboard:note_str:0</c>, <c>dashboard:note_str:1</c>, ….
/// </summary>
internal static class StudyNote
{
    public const string VersionKey = "dashboard:note_ver";
    public const string ChunkPrefix = "dashboard:note_str:";
    private const int ChunkLength = 2045;

    public static (int Version, string Body) Read(IStorage storage, long studyId)
    {
        var attrs = storage.GetStudySystemAttrs(studyId);
        if (!attrs.TryGetValue(VersionKey, out var v) || v.ValueKind != JsonValueKind.Number)
        {
            return (0, string.Empty);
        }

        var body = new StringBuilder();
        for (var i = 0; attrs.TryGetValue(ChunkPrefix + i.ToString(CultureInfo.InvariantCulture), out var chunk) && chunk.ValueKind == JsonValueKind.String; i++)
        {
            body.Append(chunk.GetString());
        }

        return (v.GetInt32(), body.ToString());
    }

    /// <summary>Saves the note if <paramref name="expectedVersion"/> is the stored version; false when someone else saved in between.</summary>
    public static bool Write(IStorage storage, long studyId, int expectedVersion, string body)
    {
        var (version, old) = Read(storage, studyId);
        if (version != expectedVersion)
        {
            return false;
        }

        var chunks = Math.Max(1, (body.Length + ChunkLength - 1) / ChunkLength);
        var oldChunks = (old.Length + ChunkLength - 1) / ChunkLength;
        for (var i = 0; i < Math.Max(chunks, oldChunks); i++)
        {
            var text = i * ChunkLength < body.Length ? body.Substring(i * ChunkLength, Math.Min(ChunkLength, body.Length - (i * ChunkLength))) : string.Empty;
            storage.SetStudySystemAttr(studyId, ChunkPrefix + i.ToString(CultureInfo.InvariantCulture), JsonSerializer.SerializeToElement(text));
        }

        storage.SetStudySystemAttr(studyId, VersionKey, JsonSerializer.SerializeToElement(version + 1));
        return true;
    }
}
