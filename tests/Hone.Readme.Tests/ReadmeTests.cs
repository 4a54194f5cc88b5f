using Hone.Studies;
using Hone.Trials;

namespace Hone.Readme.Tests;

/// <summary>
/// The C# in README.md (and docs/core.md) is what a new user copies first: every block compiles against the
/// built libraries, and the main examples run.
/// </summary>
public sealed class ReadmeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hone-readme-").FullName;

    public static TheoryData<string> Blocks() => [.. CodeBlock.All().Select(b => b.ToString())];

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static CodeBlock Block(string where) => CodeBlock.All().Single(b => b.ToString() == where);

    private static CodeBlock BlockWith(string text) => CodeBlock.All().Single(b => b.File == "README.md" && b.Code.Contains(text, StringComparison.Ordinal));

    private static byte[] Compiled(CodeBlock block)
    {
        var (assembly, problems) = SnippetCompiler.Compile(block);
        Assert.True(assembly is not null && problems.Count == 0, $"{block} does not compile cleanly:\n{string.Join('\n', problems)}");
        return assembly!;
    }

    [Fact]
    public void TheReadmeHasCSharpBlocks() => Assert.True(CodeBlock.Read("README.md").Count() >= 2, "README.md lost its C# examples");

    [Theory]
    [MemberData(nameof(Blocks))]
    public void EveryCSharpBlock_CompilesWithoutWarnings(string where) => Compiled(Block(where));

    [Fact]
    public void MainExample_Runs_WithSqliteReferencedButNoneOfItsTypesTouched_AndARerunTopsUpOnly()
    {
        var program = Compiled(BlockWith("OptimizeAsync"));
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "Hone.Storage.Sqlite");

        var printed = SnippetCompiler.Run(program, _folder);

        Assert.Contains("Hone.Storage.Sqlite", AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name));
        var url = "sqlite:///" + Path.Combine(_folder, "hone.db");
        var study = Study.Load("mlp", url);
        Assert.Equal(100, study.GetTrials(TrialState.Complete, TrialState.Pruned).Count);
        Assert.Contains(study.BestTrial.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), printed, StringComparison.Ordinal);

        // "resume": TotalTrials is the study's target, so running the program again starts nothing new.
        SnippetCompiler.Run(program, _folder);
        Assert.Equal(100, Study.Load("mlp", url).Trials.Count);
    }

    [Fact]
    public void AskTellExample_Runs_AndTheFixedTrialObjectivePrintsFour()
    {
        var printed = SnippetCompiler.Run(Compiled(BlockWith("study.Ask()")), _folder);
        Assert.Equal("4", printed.Trim());
    }

    [Fact]
    public void TwoObjectiveExample_Runs_AndPrintsAFeasibleParetoSet()
    {
        var printed = SnippetCompiler.Run(Compiled(BlockWith("error-vs-size")), _folder);
        var lines = printed.Trim().Split('\n');
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.True(int.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture) <= 512, l));
    }

    [Fact]
    public void Compiler_ReportsTheReadmeLineOfAnError()
    {
        var broken = new CodeBlock("README.md", 40, "using Hone.Studies;\nvar study = Study.Create(new StudyOptions());\nstudy.NoSuchMethod();");
        var (assembly, problems) = SnippetCompiler.Compile(broken);
        Assert.Null(assembly);
        Assert.Contains(problems, p => p.StartsWith("README.md:42:", StringComparison.Ordinal) && p.Contains("NoSuchMethod", StringComparison.Ordinal));
    }
}
