namespace Hone.Cli.Commands;

/// <summary>
/// Finds the SQLite databases (<c>*.db</c>) a user probably meant when the one a command names does not exist:
/// in the current folder and its subfolders two levels deep, in the sweep file's folder, and beside the missing file.
/// </summary>
internal static class NearbyDatabases
{
    private const int MaxShown = 8;

    /// <summary>The end of the "no database file" message: the databases found and how to pass one, or how to make one.</summary>
    public static string Describe(string missingPath, string? sweepFolder)
    {
        var cwd = Environment.CurrentDirectory;
        var found = Find(missingPath, sweepFolder);
        if (found.Count == 0)
        {
            return "No .db file was found in this folder or its subfolders. 'hone optimize SWEEP.yaml' or 'hone create-study' creates one; " +
                "or pass an existing one with --storage sqlite:///path/to/hone.db";
        }

        var shown = found.Take(MaxShown).Select(p => Relative(p, cwd)).ToList();
        var more = found.Count > MaxShown ? $" (and {found.Count - MaxShown} more)" : string.Empty;
        return $"Databases found nearby: {string.Join(", ", shown)}{more}. Pass one with --storage sqlite:///{shown[0]}";
    }

    public static List<string> Find(string missingPath, string? sweepFolder)
    {
        var results = new SortedSet<string>(StringComparer.Ordinal);
        Add(results, Environment.CurrentDirectory, depth: 2);
        if (sweepFolder is not null)
        {
            Add(results, sweepFolder, depth: 1);
        }

        if (Path.GetDirectoryName(missingPath) is { } beside)
        {
            Add(results, beside, depth: 0);
        }

        results.Remove(Path.GetFullPath(missingPath));
        return [.. results];
    }

    private static void Add(SortedSet<string> results, string folder, int depth)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        var options = new EnumerationOptions
        {
            RecurseSubdirectories = depth > 0,
            MaxRecursionDepth = depth,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
        };
        try
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.db", options))
            {
                results.Add(Path.GetFullPath(file));
                if (results.Count > 100)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A folder that cannot be listed has nothing to suggest.
        }
    }

    /// <summary>A path relative to the current folder when it is inside it, so that it can be pasted after sqlite:///.</summary>
    private static string Relative(string path, string cwd)
    {
        var relative = Path.GetRelativePath(cwd, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? "/" + path.TrimStart('/') : relative;
    }
}
