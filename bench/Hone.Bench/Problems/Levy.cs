namespace Hone.Bench.Problems;

/// <summary>
/// Levy on [−10, 10]^d with w = 1 + (x − 1)/4: minimum 0 at (1, …, 1)
/// (https://www.sfu.ca/~ssurjano/levy.html).
/// </summary>
internal sealed class Levy(int dimension) : BoxProblem
{
    public override string Name => $"levy{dimension}";

    public override string Description => $"Levy, d = {dimension}, [-10, 10]^{dimension}";

    public override double Optimum => 0;

    public override int Dimension => dimension;

    public override double Evaluate(ReadOnlySpan<double> x)
    {
        var d = x.Length;
        var w1 = W(x[0]);
        var sum = Square(Math.Sin(Math.PI * w1));
        for (var i = 0; i < d - 1; i++)
        {
            var wi = W(x[i]);
            sum += Square(wi - 1) * (1 + (10 * Square(Math.Sin((Math.PI * wi) + 1))));
        }

        var wd = W(x[d - 1]);
        return sum + (Square(wd - 1) * (1 + Square(Math.Sin(2 * Math.PI * wd))));
    }

    protected override double[] MinimizerPoint => Enumerable.Repeat(1.0, dimension).ToArray();

    protected override (double Low, double High) Bounds(int index) => (-10, 10);

    private static double W(double x) => 1 + ((x - 1) / 4);

    private static double Square(double v) => v * v;
}
