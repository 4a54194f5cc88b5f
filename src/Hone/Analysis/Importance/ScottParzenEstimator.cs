using MathNet.Numerics;

namespace Hone.Analysis.Importance;

/// <summary>
/// PED-ANOVA's density of one parameter on a grid (Watanabe, Bansal and Hutter, IJCAI 2023, section 4): the trials'
/// values are rounded to the nearest of at most 50 evenly spaced grid points (log space for a log-scaled range), and
/// the density is a mixture of discretized Gaussian kernels, one per occupied point weighted by its count, with the
/// bandwidth of Scott's rule (Scott, "Multivariate Density Estimation", 1992), plus a wide prior kernel of weight 1
/// that keeps every point's density positive. A categorical parameter's density is its choices' counts, smoothed by
/// the same prior weight spread evenly over the choices.
/// </summary>
internal static class ScottParzenEstimator
{
    public const int MaxGridPoints = 50;

    private const double PriorWeight = 1.0;

    /// <summary>The number of grid points of a parameter: its values if fewer than 50 (log-scaled integers: about one per doubling), else 50.</summary>
    public static int GridSize(ImportanceDimension dim) => dim.Distribution switch
    {
        Distributions.CategoricalDistribution c => c.Choices.Count,
        Distributions.IntDistribution { Log: true } i => Math.Min(MaxGridPoints, (int)Math.Ceiling(Math.Log2((double)i.High - i.Low + 1)) + 1),
        Distributions.IntDistribution i => (int)Math.Min(MaxGridPoints, (((long)i.High - i.Low) / i.Step) + 1),
        Distributions.FloatDistribution { Step: { } s } f => (int)Math.Min(MaxGridPoints, Math.Round((f.High - f.Low) / s) + 1),
        _ => MaxGridPoints,
    };

    /// <summary>The grid point of a value in model space.</summary>
    public static int GridIndex(ImportanceDimension dim, int size, double x)
    {
        if (dim.IsCategorical)
        {
            return (int)x;
        }

        var (low, high) = dim.Distribution switch
        {
            Distributions.FloatDistribution f => f.Log ? (Math.Log(f.Low), Math.Log(f.High)) : (f.Low, f.High),
            Distributions.IntDistribution i => i.Log ? (Math.Log(i.Low), Math.Log(i.High)) : (i.Low, (double)i.High),
            _ => (dim.Low, dim.High),
        };
        var position = (x - low) / (high - low) * (size - 1);
        return Math.Clamp((int)Math.Round(position, MidpointRounding.AwayFromZero), 0, size - 1);
    }

    /// <summary>The density over the grid points of a parameter whose trials fall on the points with these counts.</summary>
    public static double[] Density(int[] counts, bool categorical)
    {
        var size = counts.Length;
        var n = 0.0;
        foreach (var c in counts)
        {
            n += c;
        }

        var density = new double[size];
        if (categorical)
        {
            for (var k = 0; k < size; k++)
            {
                density[k] = (counts[k] + (PriorWeight / size)) / (n + PriorWeight);
            }

            return density;
        }

        var sigma = ScottBandwidth(counts, n);
        for (var k = 0; k < size; k++)
        {
            if (counts[k] > 0)
            {
                AddKernel(density, k, sigma, counts[k] / (n + PriorWeight));
            }
        }

        AddKernel(density, (size - 1) / 2.0, size, PriorWeight / (n + PriorWeight));
        return density;
    }

    /// <summary>Scott's rule in grid units: 1.059 · min(IQR / 1.34, σ) · n^(−1/5), at least 0.5 / 1.64 (90% of a kernel within its grid cell).</summary>
    private static double ScottBandwidth(int[] counts, double n)
    {
        double mean = 0;
        for (var k = 0; k < counts.Length; k++)
        {
            mean += k * counts[k];
        }

        mean /= n;
        double squares = 0;
        for (var k = 0; k < counts.Length; k++)
        {
            squares += counts[k] * (k - mean) * (k - mean);
        }

        var std = Math.Sqrt(squares / Math.Max(1, n - 1));
        var iqr = Quantile(counts, 0.75 * n, strict: true) - Quantile(counts, 0.25 * n, strict: false);
        var sigma = 1.059 * Math.Min(iqr / 1.34, std) * Math.Pow(n, -0.2);
        return Math.Max(sigma, 0.5 / 1.64);
    }

    /// <summary>The first grid point whose cumulative count reaches (or, strict, passes) the rank.</summary>
    private static int Quantile(int[] counts, double rank, bool strict)
    {
        var cumulative = 0;
        var last = 0;
        for (var k = 0; k < counts.Length; k++)
        {
            if (counts[k] == 0)
            {
                continue;
            }

            cumulative += counts[k];
            last = k;
            if (strict ? cumulative > rank : cumulative >= rank)
            {
                return k;
            }
        }

        return last;
    }

    /// <summary>Adds weight × a Gaussian kernel truncated to the grid and discretized to it (the mass of each point's cell).</summary>
    private static void AddKernel(double[] density, double mu, double sigma, double weight)
    {
        var size = density.Length;
        var total = Phi((size - 0.5 - mu) / sigma) - Phi((-0.5 - mu) / sigma);
        if (!(total > 0))
        {
            density[Math.Clamp((int)Math.Round(mu), 0, size - 1)] += weight;
            return;
        }

        var below = Phi((-0.5 - mu) / sigma);
        for (var k = 0; k < size; k++)
        {
            var above = Phi((k + 0.5 - mu) / sigma);
            density[k] += weight * (above - below) / total;
            below = above;
        }
    }

    private static double Phi(double z) => 0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2));
}
