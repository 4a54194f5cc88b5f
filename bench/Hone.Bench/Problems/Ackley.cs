namespace Hone.Bench.Problems;

/// <summary>
/// Ackley on [−32.768, 32.768]^d with a = 20, b = 0.2, c = 2π: nearly flat outer region, many local
/// minima, minimum 0 at the origin (https://www.sfu.ca/~ssurjano/ackley.html).
/// </summary>
internal sealed class Ackley(int dimension) : BoxProblem
{
    private const double A = 20;
    private const double B = 0.2;
    private const double C = 2 * Math.PI;

    public override string Name => $"ackley{dimension}";

    public override string Description => $"Ackley (a = 20, b = 0.2, c = 2 pi), d = {dimension}, [-32.768, 32.768]^{dimension}";

    public override double Optimum => 0;

    public override int Dimension => dimension;

    public override double Evaluate(ReadOnlySpan<double> x)
    {
        var squares = 0.0;
        var cosines = 0.0;
        foreach (var xi in x)
        {
            squares += xi * xi;
            cosines += Math.Cos(C * xi);
        }

        var d = x.Length;
        return (-A * Math.Exp(-B * Math.Sqrt(squares / d))) - Math.Exp(cosines / d) + A + Math.E;
    }

    protected override double[] MinimizerPoint => new double[dimension];

    protected override (double Low, double High) Bounds(int index) => (-32.768, 32.768);
}
