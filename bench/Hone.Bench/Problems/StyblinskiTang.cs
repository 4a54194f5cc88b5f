namespace Hone.Bench.Problems;

/// <summary>
/// Styblinski–Tang on [−5, 5]^d: minimum −39.16599·d at x_i = −2.903534
/// (https://www.sfu.ca/~ssurjano/stybtang.html).
/// </summary>
internal sealed class StyblinskiTang(int dimension) : BoxProblem
{
    /// <summary>The minimum per dimension, f_1(−2.903534).</summary>
    private const double MinimumPerDimension = -39.1661657037714;

    public override string Name => $"styblinski{dimension}";

    public override string Description => $"Styblinski-Tang, d = {dimension}, [-5, 5]^{dimension}";

    public override double Optimum => MinimumPerDimension * dimension;

    public override int Dimension => dimension;

    public override double Evaluate(ReadOnlySpan<double> x)
    {
        var sum = 0.0;
        foreach (var xi in x)
        {
            var x2 = xi * xi;
            sum += (x2 * x2) - (16 * x2) + (5 * xi);
        }

        return sum / 2;
    }

    protected override double[] MinimizerPoint => Enumerable.Repeat(-2.9035340286202334, dimension).ToArray();

    protected override (double Low, double High) Bounds(int index) => (-5, 5);
}
