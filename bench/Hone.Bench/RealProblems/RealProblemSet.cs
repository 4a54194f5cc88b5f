using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hone.Bench.Cli;

namespace Hone.Bench.RealProblems;

/// <summary>bench/real_problems.json read: the problems by name and the cross-validation settings they share.</summary>
internal sealed class RealProblemSet
{
    private readonly Dictionary<string, RealProblem> _byName;

    private RealProblemSet(string path, string hash, int folds, int seed, IReadOnlyList<RealProblem> problems)
    {
        Path = path;
        Hash = hash;
        CvFolds = folds;
        CvSeed = seed;
        Problems = problems;
        _byName = problems.ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    public static string DefaultPath => System.IO.Path.Combine(RepoPaths.Bench, "real_problems.json");

    public string Path { get; }

    /// <summary>The first 16 hex digits of the file's SHA-256 (the same digest bench/optuna/real_problems.py computes).</summary>
    public string Hash { get; }

    public int CvFolds { get; }

    public int CvSeed { get; }

    public IReadOnlyList<RealProblem> Problems { get; }

    public RealProblem Get(string name) =>
        _byName.TryGetValue(name, out var problem)
            ? problem
            : throw new UsageException($"Unknown real problem \"{name}\"; the problems of {Path} are: {string.Join(", ", _byName.Keys)}.");

    public static RealProblemSet Load(string? path = null)
    {
        path ??= DefaultPath;
        var bytes = File.ReadAllBytes(path);
        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;
        var folds = root.GetProperty("cv_folds").GetInt32();
        var seed = root.GetProperty("cv_seed").GetInt32();
        var problems = new List<RealProblem>();
        foreach (var p in root.GetProperty("problems").EnumerateArray())
        {
            var name = p.GetProperty("name").GetString()!;
            try
            {
                problems.Add(ReadProblem(p, folds, seed));
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"{path}: problem \"{name}\": {e.Message}", e);
            }
        }

        var duplicate = problems.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidDataException($"{path}: the problem name \"{duplicate.Key}\" is used twice.");
        }

        return new RealProblemSet(path, Digest(bytes), folds, seed, problems);
    }

    private static RealProblem ReadProblem(JsonElement p, int folds, int seed)
    {
        var parameters = new List<RealParameter>();
        foreach (var q in p.GetProperty("params").EnumerateArray())
        {
            var when = new Dictionary<string, IReadOnlyList<object?>>(StringComparer.Ordinal);
            if (q.TryGetProperty("when", out var w))
            {
                foreach (var c in w.EnumerateObject())
                {
                    if (!parameters.Any(e => e.Name == c.Name))
                    {
                        throw new FormatException($"the condition of \"{q.GetProperty("name").GetString()}\" names \"{c.Name}\", which is not an earlier parameter.");
                    }

                    when[c.Name] = [.. c.Value.EnumerateArray().Select(RealParameter.FromJson)];
                }
            }

            var type = q.GetProperty("type").GetString()!;
            if (type is not ("float" or "int" or "categorical"))
            {
                throw new FormatException($"parameter \"{q.GetProperty("name").GetString()}\" has type \"{type}\"; use float, int or categorical.");
            }

            parameters.Add(new RealParameter
            {
                Name = q.GetProperty("name").GetString()!,
                Type = type,
                Low = q.TryGetProperty("low", out var low) ? low.GetDouble() : 0,
                High = q.TryGetProperty("high", out var high) ? high.GetDouble() : 0,
                Log = q.TryGetProperty("log", out var log) && log.GetBoolean(),
                Step = q.TryGetProperty("step", out var step) && step.ValueKind == JsonValueKind.Number ? step.GetDouble() : null,
                Choices = q.TryGetProperty("choices", out var choices) ? [.. choices.EnumerateArray().Select(RealParameter.FromJson)] : [],
                When = when,
            });
        }

        var problemText = $"{folds}/{seed}/{JsonSerializer.Serialize(p)}";
        return new RealProblem
        {
            Name = p.GetProperty("name").GetString()!,
            Evaluator = p.GetProperty("evaluator").GetString()!,
            Model = p.GetProperty("model").GetString()!,
            Dataset = p.GetProperty("dataset").GetString()!,
            Task = p.GetProperty("task").GetString()!,
            Metric = p.GetProperty("metric").GetString()!,
            Rows = p.TryGetProperty("rows", out var rows) ? rows.GetInt32() : null,
            Preprocess = p.TryGetProperty("preprocess", out var pre) ? pre.GetString() : null,
            Fixed = p.TryGetProperty("fixed", out var f)
                ? f.EnumerateObject().ToDictionary(e => e.Name, e => e.Value.Clone(), StringComparer.Ordinal)
                : new Dictionary<string, JsonElement>(StringComparer.Ordinal),
            Parameters = parameters,
            Hash = Digest(Encoding.UTF8.GetBytes(problemText)),
        };
    }

    private static string Digest(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
}
