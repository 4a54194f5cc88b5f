using System.Collections.Concurrent;
using System.Diagnostics;

namespace Hone.Bench.RealProblems;

/// <summary>
/// The loss of a configuration of any real problem: scikit-learn problems through <see cref="SklearnEvaluator"/>,
/// ML.NET problems in-process through <see cref="MlNetEvaluator"/>. Losses are deterministic, so exact repeats
/// (same problem, same parameters) are answered from a cache shared by every run of one invocation. Thread-safe.
/// </summary>
internal sealed class RealEvaluator(RealProblemSet problems, string python) : IDisposable
{
    private readonly ConcurrentDictionary<string, double> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Count, double Seconds)> _timing = new(StringComparer.Ordinal);
    private readonly SklearnEvaluator _sklearn = new(python, problems.Path);
    private readonly MlNetEvaluator _mlnet = new(problems);

    public RealProblemSet Problems => problems;

    /// <summary>The loss, from the cache when this configuration was evaluated before.</summary>
    public double Loss(RealProblem problem, IReadOnlyDictionary<string, object?> values)
    {
        var key = problem.CacheKey(values);
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var loss = Evaluate(problem, values);
        _cache[key] = loss;
        return loss;
    }

    /// <summary>The loss, always computed (no cache), and the evaluation timed.</summary>
    public double Evaluate(RealProblem problem, IReadOnlyDictionary<string, object?> values)
    {
        var start = Stopwatch.GetTimestamp();
        var loss = problem.Evaluator switch
        {
            "sklearn" => _sklearn.Loss(problem, values),
            "mlnet" => _mlnet.Loss(problem, values),
            _ => throw new InvalidOperationException($"{problem.Name}: unknown evaluator \"{problem.Evaluator}\"; use sklearn or mlnet."),
        };
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        _timing.AddOrUpdate(problem.Name, (1, seconds), (_, t) => (t.Count + 1, t.Seconds + seconds));
        return loss;
    }

    /// <summary>The number of evaluations (cache misses) and their total wall time, per problem.</summary>
    public IReadOnlyDictionary<string, (long Count, double Seconds)> Timing => _timing;

    public void Dispose() => _sklearn.Dispose();
}
