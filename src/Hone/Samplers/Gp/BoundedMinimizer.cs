using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Hone.Samplers.Gp;

/// <summary>
/// Box-constrained L-BFGS-B (Byrd, Lu, Nocedal and Zhu 1995) through MathNet.Numerics' <see cref="BfgsBMinimizer"/>, with
/// analytic gradients. Keeps the best point it evaluated, so that running out of iterations or a failed line search
/// still returns the progress made instead of an exception.
/// </summary>
internal static class BoundedMinimizer
{
    /// <summary>
    /// Minimises <paramref name="f"/> (which returns the value and writes the gradient into its second argument) over the
    /// box from <paramref name="start"/>; returns the best point seen and its value.
    /// </summary>
    public static (double[] Point, double Value) Minimize(
        Func<double[], double[], double> f, double[] lower, double[] upper, double[] start, int maxIterations, double tolerance = 1e-6)
    {
        var n = start.Length;
        var bestPoint = new double[n];
        var bestValue = double.PositiveInfinity;
        var x = new double[n];
        var g = new double[n];

        (double, Vector<double>) Evaluate(Vector<double> v)
        {
            for (var i = 0; i < n; i++)
            {
                x[i] = Math.Clamp(v[i], lower[i], upper[i]);
            }

            var value = f(x, g);
            if (!double.IsFinite(value))
            {
                value = 1e300;
                Array.Clear(g);
            }
            else if (value < bestValue)
            {
                bestValue = value;
                Array.Copy(x, bestPoint, n);
            }

            for (var i = 0; i < n; i++)
            {
                if (!double.IsFinite(g[i]))
                {
                    g[i] = 0;
                }
            }

            return (value, Vector<double>.Build.DenseOfArray((double[])g.Clone()));
        }

        var clamped = new double[n];
        for (var i = 0; i < n; i++)
        {
            clamped[i] = Math.Clamp(start[i], lower[i], upper[i]);
        }

        try
        {
            var minimizer = new BfgsBMinimizer(tolerance, tolerance, tolerance, maxIterations);
            minimizer.FindMinimum(
                ObjectiveFunction.Gradient(Evaluate),
                Vector<double>.Build.DenseOfArray(lower),
                Vector<double>.Build.DenseOfArray(upper),
                Vector<double>.Build.DenseOfArray(clamped));
        }
        catch (Exception e) when (e is OptimizationException or ArgumentException or ArithmeticException or InvalidOperationException)
        {
            // Out of iterations, or the line search could not make progress: the best point seen stands.
        }

        if (double.IsPositiveInfinity(bestValue))
        {
            bestValue = f(clamped, g);
            Array.Copy(clamped, bestPoint, n);
        }

        return (bestPoint, bestValue);
    }
}
