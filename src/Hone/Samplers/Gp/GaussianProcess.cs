namespace Hone.Samplers.Gp;

/// <summary>
/// A zero-mean Gaussian process with the <see cref="MaternKernel"/>, conditioned on points (inputs and standardised
/// outputs): the posterior mean and variance of the latent function at any input, with their gradients along the
/// continuous coordinates (Rasmussen and Williams 2006, Algorithm 2.1). Points can be added without refactoring (the
/// Cholesky factor grows by a row). Not thread-safe: it keeps scratch buffers.
/// </summary>
internal sealed class GaussianProcess
{
    private static readonly double Sqrt5 = Math.Sqrt(5);
    private readonly bool[] _categorical;
    private readonly int _d;
    private double[] _x;
    private double[] _y;
    private double[] _alpha = [];
    private double[] _k = [];
    private double[] _v = [];
    private double[] _dk = [];

    private GaussianProcess(KernelHyperparameters h, bool[] categorical, CholeskyFactor chol, double[] x, double[] y, int n, double diagonal)
    {
        Hyperparameters = h;
        _categorical = categorical;
        _d = categorical.Length;
        Cholesky = chol;
        _x = x;
        _y = y;
        Count = n;
        Diagonal = diagonal;
    }

    public KernelHyperparameters Hyperparameters { get; }

    /// <summary>The number of points conditioned on.</summary>
    public int Count { get; private set; }

    /// <summary>The kernel matrix's diagonal: signal variance, noise, and any jitter that the factorisation needed.</summary>
    public double Diagonal { get; private set; }

    private CholeskyFactor Cholesky { get; set; }

    /// <summary>Factors the kernel matrix of <paramref name="n"/> inputs; adds jitter when the matrix is numerically singular; null if even that fails.</summary>
    public static GaussianProcess? Create(KernelHyperparameters h, bool[] categorical, double[] x, int n)
    {
        var d = categorical.Length;
        var k = new double[n * n];
        var w = h.InverseSquaredLengthScales;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < i; j++)
            {
                k[(i * n) + j] = h.SignalVariance * MaternKernel.Correlation(
                    MaternKernel.SquaredDistance(x.AsSpan(i * d, d), x.AsSpan(j * d, d), w, categorical));
            }
        }

        var jitter = 0.0;
        for (var attempt = 0; attempt < 6; attempt++)
        {
            var diagonal = h.SignalVariance + h.NoiseVariance + jitter;
            for (var i = 0; i < n; i++)
            {
                k[(i * n) + i] = diagonal;
            }

            if (CholeskyFactor.TryFactor(k, n, n + 16) is { } chol)
            {
                var xs = new double[Math.Max(n + 16, 16) * d];
                x.AsSpan(0, n * d).CopyTo(xs);
                return new GaussianProcess(h, categorical, chol, xs, new double[Math.Max(n + 16, 16)], n, diagonal);
            }

            jitter = jitter == 0 ? 1e-8 * h.SignalVariance : jitter * 10;
        }

        return null;
    }

    /// <summary>A copy that can be extended without changing this one.</summary>
    public GaussianProcess Clone(int extra)
    {
        var x = new double[(Count + extra) * _d];
        _x.AsSpan(0, Count * _d).CopyTo(x);
        var y = new double[Count + extra];
        _y.AsSpan(0, Math.Min(Count, _y.Length)).CopyTo(y);
        var gp = new GaussianProcess(Hyperparameters, _categorical, Cholesky.Clone(extra), x, y, Count, Diagonal);
        if (_alpha.Length == Count)
        {
            gp._alpha = (double[])_alpha.Clone();
        }

        return gp;
    }

    /// <summary>Conditions also on input <paramref name="x"/> (its output is given later, by <see cref="SetOutputs"/>); false when the factor cannot grow (a duplicate of a point, without noise).</summary>
    public bool TryAdd(ReadOnlySpan<double> x) => TryAdd(x, Diagonal);

    /// <summary>
    /// Conditions also on a believed, noise-free value at <paramref name="x"/> (a running trial's fantasy): its variance
    /// there drops to almost nothing, not merely to the noise level, so the acquisition moves away from it.
    /// </summary>
    public bool TryAddExact(ReadOnlySpan<double> x) =>
        TryAdd(x, Diagonal - Hyperparameters.NoiseVariance + (1e-6 * Hyperparameters.SignalVariance)) || TryAdd(x, Diagonal);

    private bool TryAdd(ReadOnlySpan<double> x, double diagonal)
    {
        var n = Count;
        var column = new double[n];
        for (var i = 0; i < n; i++)
        {
            column[i] = Kernel(x, _x.AsSpan(i * _d, _d));
        }

        if (!Cholesky.TryAppend(column, diagonal))
        {
            return false;
        }

        if (_x.Length < (n + 1) * _d)
        {
            Array.Resize(ref _x, Math.Max(16, 2 * (n + 1)) * _d);
        }

        x.CopyTo(_x.AsSpan(n * _d, _d));
        Count = n + 1;
        _alpha = [];
        return true;
    }

    /// <summary>The outputs last set by <see cref="SetOutputs"/>, one per point conditioned on then.</summary>
    public ReadOnlySpan<double> Outputs => _y.AsSpan(0, Math.Min(Count, _y.Length));

    /// <summary>Sets the outputs of the points, in order, and solves for the posterior weights α = K⁻¹y.</summary>
    public void SetOutputs(ReadOnlySpan<double> y)
    {
        if (_y.Length < Count)
        {
            _y = new double[Count];
        }

        y[..Count].CopyTo(_y);
        _alpha = y[..Count].ToArray();
        Cholesky.SolveLower(_alpha);
        Cholesky.SolveUpper(_alpha);
    }

    /// <summary>The posterior mean and variance of the latent function at <paramref name="x"/>.</summary>
    public (double Mean, double Variance) Predict(ReadOnlySpan<double> x)
    {
        EnsureScratch();
        var n = Count;
        Kernels(x, _k, _dk, false);
        var mean = CholeskyFactor.Dot(_k.AsSpan(0, n), _alpha);
        _k.AsSpan(0, n).CopyTo(_v);
        Cholesky.SolveLower(_v.AsSpan(0, n));
        var variance = Hyperparameters.SignalVariance - CholeskyFactor.Dot(_v.AsSpan(0, n), _v.AsSpan(0, n));
        return (mean, Math.Max(variance, 1e-12 * Hyperparameters.SignalVariance));
    }

    /// <summary>The posterior means and variances at <paramref name="count"/> points (rows of <paramref name="xs"/>).</summary>
    public void PredictMany(ReadOnlySpan<double> xs, int count, Span<double> means, Span<double> variances)
    {
        // One point at a time: each solve streams the rows of L in order, which measured faster than blocking
        // several right-hand sides together at the sizes a GP sampler sees (n ≤ a few hundred).
        for (var i = 0; i < count; i++)
        {
            (means[i], variances[i]) = Predict(xs.Slice(i * _d, _d));
        }
    }

    /// <summary>
    /// The posterior mean and variance at <paramref name="x"/>, and their gradients along the coordinates where
    /// <paramref name="along"/> is true (zero elsewhere).
    /// </summary>
    public (double Mean, double Variance) PredictWithGradient(ReadOnlySpan<double> x, bool[] along, Span<double> meanGradient, Span<double> varianceGradient)
    {
        EnsureScratch();
        var n = Count;
        var d = _d;
        var w = Hyperparameters.InverseSquaredLengthScales;
        var s = Hyperparameters.SignalVariance;
        Kernels(x, _k, _dk, true);

        var mean = CholeskyFactor.Dot(_k.AsSpan(0, n), _alpha);
        _k.AsSpan(0, n).CopyTo(_v);
        Cholesky.SolveLower(_v.AsSpan(0, n));
        var variance = s - CholeskyFactor.Dot(_v.AsSpan(0, n), _v.AsSpan(0, n));

        // ∂var/∂x = -2 (∂k/∂x)ᵀ K⁻¹ k; K⁻¹ k = L⁻ᵀ v.
        Cholesky.SolveUpper(_v.AsSpan(0, n));
        meanGradient.Clear();
        varianceGradient.Clear();
        for (var i = 0; i < n; i++)
        {
            var a = _alpha[i] * _dk[i];
            var b = _v[i] * _dk[i];
            for (var c = 0; c < d; c++)
            {
                if (along[c])
                {
                    // ∂k/∂x_c = dk/dr² · 2 w_c (x_c - x_ic).
                    var t = 2 * w[c] * (x[c] - _x[(i * d) + c]);
                    meanGradient[c] += a * t;
                    varianceGradient[c] -= 2 * b * t;
                }
            }
        }

        if (variance < 1e-12 * s)
        {
            variance = 1e-12 * s;
            varianceGradient.Clear();
        }

        return (mean, variance);
    }

    /// <summary>k(x, xᵢ) for every point i into <paramref name="k"/>, and, if wanted, dk/dr² into <paramref name="dk"/>.</summary>
    private void Kernels(ReadOnlySpan<double> x, Span<double> k, Span<double> dk, bool derivative)
    {
        var n = Count;
        var d = _d;
        var w = Hyperparameters.InverseSquaredLengthScales;
        var s = Hyperparameters.SignalVariance;
        var data = _x;
        var categorical = _categorical;
        for (var i = 0; i < n; i++)
        {
            var r2 = 0.0;
            var offset = i * d;
            for (var c = 0; c < d; c++)
            {
                var diff = x[c] - data[offset + c];
                r2 += categorical[c] ? (diff == 0 ? 0 : w[c]) : w[c] * diff * diff;
            }

            var r = Math.Sqrt(r2);
            var e = Math.Exp(-Sqrt5 * r);
            k[i] = s * (1 + (Sqrt5 * r) + (5.0 / 3 * r2)) * e;
            if (derivative)
            {
                dk[i] = s * -5.0 / 6 * (1 + (Sqrt5 * r)) * e;
            }
        }
    }

    private double Kernel(ReadOnlySpan<double> a, ReadOnlySpan<double> b) =>
        Hyperparameters.SignalVariance * MaternKernel.Correlation(
            MaternKernel.SquaredDistance(a, b, Hyperparameters.InverseSquaredLengthScales, _categorical));

    private void EnsureScratch()
    {
        if (_alpha.Length != Count)
        {
            throw new InvalidOperationException("The GP's outputs were not set after its points changed.");
        }

        if (_k.Length < Count)
        {
            _k = new double[Count];
            _v = new double[Count];
            _dk = new double[Count];
        }
    }
}
