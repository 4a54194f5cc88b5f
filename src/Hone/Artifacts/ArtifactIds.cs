using System.Security.Cryptography;

namespace Hone.Artifacts;

/// <summary>Artifact ids: made unique per write, and checked so that an id can never name a path outside the store.</summary>
internal static class ArtifactIds
{
    public static string NewCheckpointId(int trialNumber, int step) =>
        $"trial-{trialNumber}-step-{step}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant()}.ckpt";

    public static string NewArtifactId(int trialNumber, string name) =>
        $"trial-{trialNumber}-{Sanitize(name)}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant()}";

    public static void Check(string artifactId)
    {
        ArgumentException.ThrowIfNullOrEmpty(artifactId);
        foreach (var c in artifactId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                throw new ArgumentException(
                    $"Artifact id \"{artifactId}\" has the character '{c}'; ids are made of letters, digits, '-', '_' and '.'.", nameof(artifactId));
            }
        }

        if (artifactId[0] == '.')
        {
            throw new ArgumentException($"Artifact id \"{artifactId}\" starts with '.'; such names are the store's temporary files.", nameof(artifactId));
        }
    }

    private static string Sanitize(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').Take(40).ToArray();
        return chars.Length == 0 ? "artifact" : new string(chars);
    }
}
