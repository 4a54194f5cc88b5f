namespace Hone.Samplers.CmaEs;

/// <summary>
/// The initial distribution of WS-CMA-ES (Nomura, Watanabe, Akimoto, Ozaki and Onishi 2021, "Warm Starting CMA-ES for
/// Hyperparameter Optimization", AAAI, section 4): the promising region of earlier evaluations is modelled as a
/// mixture of Gaussians N(x_i, α²I) around the best ⌊γ N⌋ points (at least one), and CMA-ES starts from the Gaussian
/// closest to that mixture in KL divergence: mean = the points' average, Σ = α²I + their covariance; then
/// σ = det(Σ)^(1/2n) and C = Σ/σ².
/// </summary>
internal static class CmaEsWarmStart
{
    /// <summary>The prior width α of each point's Gaussian, in the unit box (the value of the paper and of the cmaes library).</summary>
    public const double Alpha = 0.1;

    /// <summary>The estimate from <paramref name="points"/> (unit-box coordinates, objective minimized), or null for none.</summary>
    public static (double[] Mean, double Sigma, double[,] Cov)? Estimate(List<(double[] X, double Value, int Order)> points, double gamma)
    {
        if (points.Count == 0)
        {
            return null;
        }

        points.Sort(static (a, b) =>
        {
            var c = a.Value.CompareTo(b.Value);
            return c != 0 ? c : a.Order.CompareTo(b.Order);
        });
        var top = Math.Max(1, (int)Math.Floor(points.Count * gamma));
        var n = points[0].X.Length;
        var mean = new double[n];
        for (var k = 0; k < top; k++)
        {
            for (var i = 0; i < n; i++)
            {
                mean[i] += points[k].X[i] / top;
            }
        }

        var sigmaMatrix = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double s = 0;
                for (var k = 0; k < top; k++)
                {
                    s += (points[k].X[i] - mean[i]) * (points[k].X[j] - mean[j]);
                }

                sigmaMatrix[i, j] = (s / top) + (i == j ? Alpha * Alpha : 0);
            }
        }

        var logDet = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(sigmaMatrix).Cholesky().DeterminantLn;
        var sigma = Math.Exp(logDet / (2 * n));
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                sigmaMatrix[i, j] /= sigma * sigma;
            }
        }

        return (mean, sigma, sigmaMatrix);
    }
}
