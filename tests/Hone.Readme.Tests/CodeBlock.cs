namespace Hone.Readme.Tests;

/// <summary>A fenced <c>```csharp</c> block of a Markdown file: where it starts and what it says.</summary>
/// <param name="File">The Markdown file, relative to the repository root.</param>
/// <param name="Line">The 1-based line of the block's first line of code.</param>
/// <param name="Code">The code between the fences.</param>
public sealed record CodeBlock(string File, int Line, string Code)
{
    /// <summary>The documents whose C# blocks must compile.</summary>
    public static readonly string[] Documents = ["README.md", "docs/core.md"];

    /// <summary>The repository root: the nearest folder above the test's output that holds Hone.slnx.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Every <c>```csharp</c> (or <c>```cs</c>) block of the documents, in order.</summary>
    public static IReadOnlyList<CodeBlock> All() => [.. Documents.SelectMany(Read)];

    /// <summary>The C# blocks of one Markdown file.</summary>
    public static IEnumerable<CodeBlock> Read(string relativePath)
    {
        var lines = System.IO.File.ReadAllLines(Path.Combine(RepositoryRoot, relativePath));
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = lines[i].Trim();
            if (fence is not ("```csharp" or "```cs" or "```c#"))
            {
                continue;
            }

            var start = i + 1;
            var end = start;
            while (end < lines.Length && lines[end].Trim() != "```")
            {
                end++;
            }

            yield return new CodeBlock(relativePath, start + 1, string.Join('\n', lines[start..end]));
            i = end;
        }
    }

    public override string ToString() => $"{File}:{Line}";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Hone.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Hone.slnx above {AppContext.BaseDirectory}; run the tests from the repository.");
    }
}
