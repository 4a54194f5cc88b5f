namespace Hone.Bench.Problems;

/// <summary>
/// Branin–Hoo on x1 ∈ [−5, 10], x2 ∈ [0, 15]: three global minima, f = 5/(4π) ≈ 0.397887
/// (https://www.sfu.ca/~ssurjano/branin.html).
/// </summary>
internal sealed class Branin : BoxProblem
{
    private const double A = 1;
    private const double B = 5.1 / (4 * Math.PI * Math.PI);
    private const double C = 5 / Math.PI;
    private const double R = 6;
    private const double S = 10;
    private const double T = 1 / (8 * Math.PI);

    public override string Name => "branin2";

    public override string Description => "Branin-Hoo, d = 2, x1 in [-5, 10], x2 in [0, 15]";

    public override double Optimum => 0.397887357729738;

    public override int Dimension => 2;

    public override double Evaluate(ReadOnlySpan<double> x)
    {
        var (x1, x2) = (x[0], x[1]);
        var q = x2 - (B * x1 * x1) + (C * x1) - R;
        return (A * q * q) + (S * (1 - T) * Math.Cos(x1)) + S;
    }

    protected override double[] MinimizerPoint => [Math.PI, 2.275];

    protected override (double Low, double High) Bounds(int index) => index == 0 ? (-5, 10) : (0, 15);
}
