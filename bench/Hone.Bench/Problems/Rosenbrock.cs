namespace Hone.Bench.Problems;

/// <summary>
/// Rosenbrock on [−5, 10]^d: a long curved valley, minimum 0 at (1, …, 1)
/// (https://www.sfu.ca/~ssurjano/rosen.html).
/// </summary>
internal sealed class Rosenbrock(int dimension) : BoxProblem
{
    public override string Name => $"rosenbrock{dimension}";

    public override string Description => $"Rosenbrock, d = {dimension}, [-5, 10]^{dimension}";

    public override double Optimum => 0;

    public override int Dimension => dimension;

    public override double Evaluate(ReadOnlySpan<double> x)
    {
        var sum = 0.0;
        for (var i = 0; i < x.Length - 1; i++)
        {
            var a = x[i + 1] - (x[i] * x[i]);
            var b = x[i] - 1;
            sum += (100 * a * a) + (b * b);
        }

        return sum;
    }

    protected override double[] MinimizerPoint => Enumerable.Repeat(1.0, dimension).ToArray();

    protected override (double Low, double High) Bounds(int index) => (-5, 10);
}
