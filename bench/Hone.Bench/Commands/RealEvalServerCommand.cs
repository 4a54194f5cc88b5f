using System.Text.Json;
using Hone.Bench.Cli;
using Hone.Bench.RealProblems;

namespace Hone.Bench.Commands;

/// <summary>
/// The ML.NET evaluator of the real problems as a server for bench/optuna/real.py: one JSON request per stdin line,
/// {"problem": name, "params": {...}}, answered by one stdout line, {"loss": x} or {"error": message}.
/// </summary>
internal static class RealEvalServerCommand
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public const string Usage = "real-eval-server [--problem-file bench/real_problems.json]   (ML.NET losses, JSON lines on stdin/stdout)";

    public static int Run(BenchArgs args)
    {
        var set = RealProblemSet.Load(args.String("problem-file"));
        args.ThrowIfUnknown();
        var evaluator = new MlNetEvaluator(set);

        // Answers go to the real stdout only: anything a trainer prints must not be read as an answer.
        using var answers = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        Console.SetOut(Console.Error);
        while (Console.In.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string answer;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var name = doc.RootElement.GetProperty("problem").GetString() ?? "";
                var problem = set.Problems.FirstOrDefault(p => p.Name == name && p.Evaluator == "mlnet")
                    ?? throw new FormatException($"unknown ML.NET problem \"{name}\"; known: {string.Join(", ", set.Problems.Where(p => p.Evaluator == "mlnet").Select(p => p.Name))}.");
                var values = problem.ParseParams(doc.RootElement.GetProperty("params"));
                answer = JsonSerializer.Serialize(new { loss = evaluator.Loss(problem, values) }, Json);
            }
            catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or UsageException)
            {
                answer = JsonSerializer.Serialize(new { error = e.Message }, Json);
            }

            answers.WriteLine(answer);
        }

        return 0;
    }
}
