using System.Text.Json;
using System.Text.Json.Nodes;
using Hone.Bench.Cli;
using Hone.Bench.Problems;
using Hone.Bench.Python;
using Hone.Samplers;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Bench.Commands;

/// <summary>
/// <c>suite --check</c>: that bench/functions.json is what the C# definitions write, and that
/// bench/optuna/functions.py gives the same value, asking for the same distributions, as the C# problem at
/// random points of every problem (drawn by running the problem under Hone's random sampler, so that a
/// conditional space yields points of every branch).
/// </summary>
internal static class FunctionCheck
{
    public static bool Run(IReadOnlyList<BenchmarkProblem> problems, PythonRunner python, int pointsPerProblem = 64)
    {
        var ok = true;
        var expected = FunctionsFile.Render(ProblemCatalog.All);
        var actual = File.Exists(RepoPaths.FunctionsJson) ? File.ReadAllText(RepoPaths.FunctionsJson) : "";
        if (expected != actual)
        {
            Console.WriteLine($"FAIL {RepoPaths.FunctionsJson} is out of date with bench/Hone.Bench/Problems; run the `functions` command.");
            ok = false;
        }
        else
        {
            Console.WriteLine($"ok   {RepoPaths.FunctionsJson} matches the C# definitions.");
        }

        foreach (var problem in problems)
        {
            var atMinimizer = problem.Evaluate(new FixedTrial(problem.Minimizer));
            var gap = atMinimizer - problem.Optimum;
            var good = Math.Abs(gap) <= 1e-9 * Math.Max(1, Math.Abs(problem.Optimum));
            ok &= good;
            Console.WriteLine($"{(good ? "ok  " : "FAIL")} {problem.Name,-12} f(minimizer) = {atMinimizer:R}, optimum {problem.Optimum:R}, difference {gap:0.0e0}");
        }

        var cases = new JsonArray();
        foreach (var problem in problems)
        {
            cases.Add(Points(problem, pointsPerProblem));
        }

        var file = Path.Combine(Path.GetTempPath(), $"hone-bench-check-{Environment.ProcessId}.json");
        File.WriteAllText(file, cases.ToJsonString());
        string output;
        try
        {
            output = python.Run(RepoPaths.OptunaScript("check.py"), file);
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine(e.Message);
            return false;
        }
        finally
        {
            File.Delete(file);
        }

        using var report = JsonDocument.Parse(output);
        foreach (var entry in report.RootElement.GetProperty("functions").EnumerateArray())
        {
            var mismatches = entry.GetProperty("mismatches").EnumerateArray().Select(m => m.GetString()).ToList();
            var name = entry.GetProperty("function").GetString();
            var points = entry.GetProperty("points").GetInt32();
            if (mismatches.Count == 0)
            {
                var diff = entry.GetProperty("max_relative_difference").GetDouble();
                Console.WriteLine($"ok   {name,-12} {points} points, same values (max relative difference {diff:0.0e0}) and distributions");
            }
            else
            {
                Console.WriteLine($"FAIL {name,-12} " + string.Join("\n       ", mismatches));
            }
        }

        return ok && report.RootElement.GetProperty("ok").GetBoolean();
    }

    private static JsonObject Points(BenchmarkProblem problem, int count)
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(20_240_601) });
        study.Optimize(problem.Evaluate, new OptimizeOptions { Trials = count });
        var points = new JsonArray();
        foreach (var trial in study.GetTrials(TrialState.Complete))
        {
            var parameters = new JsonObject();
            var distributions = new JsonObject();
            foreach (var (name, value) in trial.Params)
            {
                parameters[name] = ToNode(value);
                distributions[name] = JsonNode.Parse(trial.Distributions[name].ToJson());
            }

            points.Add(new JsonObject
            {
                ["params"] = parameters,
                ["value"] = trial.Value,
                ["distributions"] = distributions,
            });
        }

        return new JsonObject { ["function"] = problem.Name, ["optimum"] = problem.Optimum, ["points"] = points };
    }

    private static JsonValue? ToNode(object? value) => value switch
    {
        null => null,
        double d => JsonValue.Create(d),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        bool b => JsonValue.Create(b),
        string s => JsonValue.Create(s),
        _ => throw new InvalidOperationException($"Unexpected parameter value {value} of type {value.GetType()}."),
    };
}
