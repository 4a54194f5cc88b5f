using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hone.Bench.Problems;

/// <summary>
/// bench/functions.json: every problem's name, description, optimum and search space (each parameter's
/// distribution in Optuna's JSON), written from the C# definitions for bench/optuna/functions.py to read.
/// </summary>
internal static class FunctionsFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Render(IEnumerable<BenchmarkProblem> problems)
    {
        var list = new JsonArray();
        foreach (var problem in problems)
        {
            var space = new JsonObject();
            foreach (var (name, distribution) in problem.Space)
            {
                space[name] = JsonNode.Parse(distribution.ToJson());
            }

            list.Add(new JsonObject
            {
                ["name"] = problem.Name,
                ["description"] = problem.Description,
                ["optimum"] = problem.Optimum,
                ["params"] = space,
            });
        }

        var root = new JsonObject
        {
            ["generated_by"] = "dotnet run -c Release --project bench/Hone.Bench -- functions (from bench/Hone.Bench/Problems)",
            ["problems"] = list,
        };
        return root.ToJsonString(Indented) + "\n";
    }
}
