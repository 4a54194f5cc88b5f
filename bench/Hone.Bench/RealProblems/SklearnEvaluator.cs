using System.Collections.Concurrent;
using System.Text.Json;
using Hone.Bench.Cli;
using Hone.Bench.Python;

namespace Hone.Bench.RealProblems;

/// <summary>
/// Evaluates the scikit-learn problems through bench/optuna/real_eval.py servers (one JSON line per evaluation),
/// one server per concurrent caller, started on first need and kept until disposal.
/// </summary>
internal sealed class SklearnEvaluator(string python, string problemFile) : IDisposable
{
    private readonly ConcurrentBag<PythonSession> _idle = [];
    private readonly ConcurrentBag<PythonSession> _all = [];

    public double Loss(RealProblem problem, IReadOnlyDictionary<string, object?> values)
    {
        if (!_idle.TryTake(out var session))
        {
            session = new PythonSession(python, RepoPaths.OptunaScript("real_eval.py"), "--problems", problemFile);
            _all.Add(session);
        }

        try
        {
            var request = JsonSerializer.Serialize(new { problem = problem.Name, @params = values });
            var answer = session.Send(request);
            using var doc = JsonDocument.Parse(answer);
            if (doc.RootElement.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException($"real_eval.py refused {problem.Name} {RealProblem.ParamsJson(values)}: {error.GetString()}");
            }

            return doc.RootElement.GetProperty("loss").GetDouble();
        }
        finally
        {
            _idle.Add(session);
        }
    }

    public void Dispose()
    {
        foreach (var session in _all)
        {
            session.Dispose();
        }
    }
}
