namespace Hone.Bench.Cli;

/// <summary>Where the bench's files live: found by walking up to the directory that holds Hone.slnx.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> RootDirectory = new(FindRoot);

    public static string Root => RootDirectory.Value;

    public static string Bench => Path.Combine(Root, "bench");

    public static string OptunaScripts => Path.Combine(Bench, "optuna");

    public static string FunctionsJson => Path.Combine(Bench, "functions.json");

    public static string OptunaScript(string fileName) => Path.Combine(OptunaScripts, fileName);

    private static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Hone.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (a directory holding Hone.slnx) above the current or the program's directory.");
    }
}
