namespace Hone.Cli.Tests;

/// <summary>The repository's bundled data files, found from the test binaries upwards.</summary>
internal static class RepoData
{
    /// <summary>The path of data/<paramref name="name"/>.</summary>
    public static string Path(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = System.IO.Path.Combine(dir.FullName, "data", name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException(name);
    }
}
