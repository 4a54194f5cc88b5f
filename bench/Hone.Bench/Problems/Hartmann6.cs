namespace Hone.Bench.Problems;

/// <summary>
/// Hartmann 6-D on [0, 1]^6 (Dixon and Szegő's coefficients): six local minima, global minimum ≈ −3.32237
/// at (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573) (https://www.sfu.ca/~ssurjano/hart6.html).
/// </summary>
internal sealed class Hartmann6 : BoxProblem
{
    private static readonly double[] Alpha = [1.0, 1.2, 3.0, 3.2];

    private static readonly double[,] A =
    {
        { 10, 3, 17, 3.5, 1.7, 8 },
        { 0.05, 10, 17, 0.1, 8, 14 },
        { 3, 3.5, 1.7, 10, 17, 8 },
        { 17, 8, 0.05, 10, 0.1, 14 },
    };

    private static readonly double[,] P =
    {
        { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 },
        { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
        { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 },
        { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
    };

    public override string Name => "hartmann6";

    public override string Description => "Hartmann, d = 6, [0, 1]^6";

    public override double Optimum => -3.322368011415512;

    public override int Dimension => 6;

    public override double Evaluate(ReadOnlySpan<double> x)
    {
        var sum = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var inner = 0.0;
            for (var j = 0; j < 6; j++)
            {
                var d = x[j] - P[i, j];
                inner += A[i, j] * d * d;
            }

            sum += Alpha[i] * Math.Exp(-inner);
        }

        return -sum;
    }

    protected override double[] MinimizerPoint => [0.20168952, 0.15001069, 0.47687398, 0.27533243, 0.31165162, 0.65730054];

    protected override (double Low, double High) Bounds(int index) => (0, 1);
}
