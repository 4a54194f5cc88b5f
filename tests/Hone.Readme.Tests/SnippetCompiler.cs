using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Hone.Readme.Tests;

/// <summary>
/// Compiles a documentation block as the program it would be in a <c>dotnet new console</c> project that
/// references Hone (implicit usings, nullable on), with stand-ins for the functions the block leaves to the
/// reader (<c>TrainOneEpochAsync</c>, <c>Evaluate</c>).
/// </summary>
internal static class SnippetCompiler
{
    /// <summary>The usings a console project gets implicitly, and the stand-ins for "your code".</summary>
    private const string UserCode = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using static ReadmeUserCode;

        internal static class ReadmeUserCode
        {
            /// One epoch of "training": a loss that is smallest near lr = 1e-3 and for the mlp.
            public static async Task<double> TrainOneEpochAsync(IReadOnlyDictionary<string, object?> parameters, CancellationToken ct)
            {
                await Task.Yield();
                ct.ThrowIfCancellationRequested();
                var lr = (double)parameters["lr"]!;
                return Math.Abs(Math.Log10(lr) + 3) + ((string?)parameters["kind"] == "mlp" ? 0 : 0.5);
            }

            public static double Evaluate(double x) => (x - 2) * (x - 2);
        }
        """;

    private static readonly Lazy<MetadataReference[]> References = new(() =>
        [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(p => MetadataReference.CreateFromFile(p))]);

    /// <summary>Compiles a block; returns the assembly's bytes, or null, and the errors and warnings as "file:line:col: message".</summary>
    public static (byte[]? Assembly, IReadOnlyList<string> Problems) Compile(CodeBlock block)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "Readme_" + block.Line,
            [CSharpSyntaxTree.ParseText(block.Code, options, path: block.File), CSharpSyntaxTree.ParseText(UserCode, options, path: "user-code.cs")],
            References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        var problems = result.Diagnostics
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => Describe(block, d))
            .ToList();
        return (result.Success ? stream.ToArray() : null, problems);
    }

    /// <summary>Runs a compiled block's top-level statements in a folder; returns what it printed.</summary>
    public static string Run(byte[] assembly, string workingDirectory)
    {
        var entry = Assembly.Load(assembly).EntryPoint ?? throw new InvalidOperationException("The block has no top-level statements to run.");
        var output = new StringWriter();
        var console = Console.Out;
        var directory = Environment.CurrentDirectory;
        Console.SetOut(output);
        Environment.CurrentDirectory = workingDirectory;
        try
        {
            entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new InvalidOperationException($"The block threw {e.InnerException.GetType().Name}: {e.InnerException.Message}\nIt printed:\n{output}", e.InnerException);
        }
        finally
        {
            Console.SetOut(console);
            Environment.CurrentDirectory = directory;
        }

        return output.ToString();
    }

    private static string Describe(CodeBlock block, Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        var where = span.Path == block.File
            ? $"{block.File}:{block.Line + span.StartLinePosition.Line}:{span.StartLinePosition.Character + 1}"
            : $"{span.Path}:{span.StartLinePosition.Line + 1}";
        return $"{where}: {d.Severity.ToString().ToLowerInvariant()} {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
