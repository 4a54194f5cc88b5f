using Hone.Distributions;
using Hone.Trials;

namespace Hone.Bench.Problems;

/// <summary>
/// A classic continuous test function on a box: parameters x0 … x(d−1), each a uniform float in its bounds.
/// </summary>
internal abstract class BoxProblem : BenchmarkProblem
{
    private IReadOnlyList<KeyValuePair<string, Distribution>>? _space;
    private string[]? _names;

    /// <summary>The number of parameters.</summary>
    public abstract int Dimension { get; }

    public sealed override IReadOnlyList<KeyValuePair<string, Distribution>> Space => _space ??= BuildSpace();

    public sealed override IReadOnlyDictionary<string, object?> Minimizer =>
        MinimizerPoint.Select((v, i) => (v, i)).ToDictionary(p => $"x{p.i}", p => (object?)p.v);

    public sealed override double Evaluate(Trial trial)
    {
        var names = _names ??= Enumerable.Range(0, Dimension).Select(i => $"x{i}").ToArray();
        Span<double> x = stackalloc double[Dimension];
        for (var i = 0; i < x.Length; i++)
        {
            var (low, high) = Bounds(i);
            x[i] = trial.SuggestFloat(names[i], low, high);
        }

        return Evaluate(x);
    }

    /// <summary>The function itself.</summary>
    public abstract double Evaluate(ReadOnlySpan<double> x);

    /// <summary>A global minimizer (one of them, if several).</summary>
    protected abstract double[] MinimizerPoint { get; }

    /// <summary>The range of parameter <paramref name="index"/>.</summary>
    protected abstract (double Low, double High) Bounds(int index);

    private List<KeyValuePair<string, Distribution>> BuildSpace()
    {
        var space = new List<KeyValuePair<string, Distribution>>(Dimension);
        for (var i = 0; i < Dimension; i++)
        {
            var (low, high) = Bounds(i);
            space.Add(new($"x{i}", new FloatDistribution(low, high)));
        }

        return space;
    }
}
