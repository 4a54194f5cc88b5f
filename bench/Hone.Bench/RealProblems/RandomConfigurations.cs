using System.Text.Json;
using Hone.Bench.Results;
using Hone.Samplers;
using Hone.Studies;

namespace Hone.Bench.RealProblems;

/// <summary>
/// The random configurations of each problem that set its clip (the median of their losses): a fixed number drawn by
/// Hone's <see cref="RandomSampler"/> with seed 0, through the same define-by-run suggestion as the runs, evaluated
/// once and saved as <c>random-configs/&lt;problem&gt;-&lt;problem hash&gt;.json</c> under the results directory, so a
/// changed problem definition gets new ones and an unchanged one is never evaluated twice.
/// </summary>
internal static class RandomConfigurations
{
    public const long Seed = 0;

    public static string FileOf(string resultsDir, RealProblem problem) =>
        Path.Combine(resultsDir, "random-configs", $"{problem.Name}-{problem.Hash}.json");

    /// <summary>Makes sure every problem has <paramref name="count"/> evaluated random configurations on file.</summary>
    public static void Ensure(RealEvaluator evaluator, IReadOnlyList<RealProblem> problems, int count, string resultsDir, int jobs)
    {
        var missing = problems.Where(p => Read(FileOf(resultsDir, p)) is not { Count: var n } || n < count).ToList();
        Parallel.ForEach(missing, new ParallelOptions { MaxDegreeOfParallelism = jobs }, problem =>
        {
            var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(Seed) });
            var configs = new List<IReadOnlyDictionary<string, object?>>();
            var losses = new List<double>();
            study.Optimize(trial =>
            {
                var values = problem.Suggest(trial);
                var loss = evaluator.Loss(problem, values);
                configs.Add(values);
                losses.Add(loss);
                return loss;
            }, new OptimizeOptions { Trials = count, Catch = [] });
            var path = FileOf(resultsDir, problem);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, JsonSerializer.Serialize(new { problem = problem.Name, problem_hash = problem.Hash, losses, configs }));
            Console.Error.WriteLine($"random configurations of {problem.Name}: {count}, median loss {Stats.Median(losses):G6}");
        });
    }

    /// <summary>The losses saved in <paramref name="path"/>, or null when there is no such file.</summary>
    public static IReadOnlyList<double>? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return [.. doc.RootElement.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble())];
    }

    /// <summary>The losses of every problem with a file in <paramref name="resultsDir"/>, for the problem definitions of <paramref name="problems"/>.</summary>
    public static Dictionary<string, IReadOnlyList<double>> ReadAll(string resultsDir, RealProblemSet problems)
    {
        var result = new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
        foreach (var problem in problems.Problems)
        {
            if (Read(FileOf(resultsDir, problem)) is { } losses)
            {
                result[problem.Name] = losses;
            }
        }

        return result;
    }
}
