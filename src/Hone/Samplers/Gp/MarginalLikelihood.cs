namespace Hone.Samplers.Gp;

/// <summary>
/// The negative log posterior of the GP's hyperparameters given the data (Rasmussen and Williams 2006, eq. 5.8, plus
/// log priors), with its analytic gradient, and its maximum a posteriori fit by multi-start L-BFGS-B.
/// </summary>
/// <remarks>
/// <para>Priors, on standardised outputs and inputs in the unit cube:</para>
/// <list type="bullet">
/// <item>length scales: log-normal, ln ℓ ~ N(√2 + ½ ln d, 3), scaled with the dimension d (Hvarfner, Hellsten and Nardi,
/// "Vanilla Bayesian Optimization Performs Great in High Dimensions", ICML 2024; BoTorch's default);</item>
/// <item>signal variance: Gamma(2, 1), whose mode is 1 (Optuna's GPSampler);</item>
/// <item>noise variance: Gamma(1.1, 30), which prefers little noise (Optuna's GPSampler), above a floor; with a
/// deterministic objective the noise is fixed at a tiny floor instead.</item>
/// </list>
/// <para>Bounds keep the fit away from degenerate models (on a plateau, length scales collapsing onto single points):
/// ℓ ∈ [0.01, 100], σ² ∈ [10⁻³, 100], noise ∈ [floor, 1].</para>
/// </remarks>
internal sealed class MarginalLikelihood
{
    internal const double DeterministicNoise = 1e-6;
    internal const double NoiseFloor = 1e-4;
    private const double LogTwoPi = 1.8378770664093453;
    private static readonly double LogInvSqLengthMin = -2 * Math.Log(100);
    private static readonly double LogInvSqLengthMax = -2 * Math.Log(0.01);
    private static readonly double LogSignalMin = Math.Log(1e-3);
    private static readonly double LogSignalMax = Math.Log(100);

    private readonly int _n;
    private readonly int _d;
    private readonly double[] _y;
    private readonly double[] _deltas;
    private readonly bool _deterministic;
    private readonly double _priorMean;
    private readonly double[] _k;
    private readonly double[] _corr;
    private readonly double[] _dcorr;

    /// <param name="x">The inputs, n rows of d coordinates.</param>
    /// <param name="n">The number of points.</param>
    /// <param name="y">The standardised outputs.</param>
    /// <param name="categorical">Which coordinates are categorical.</param>
    /// <param name="deterministic">Whether the noise is fixed at a tiny floor.</param>
    public MarginalLikelihood(double[] x, int n, double[] y, bool[] categorical, bool deterministic)
    {
        _n = n;
        _d = categorical.Length;
        _y = y;
        _deterministic = deterministic;
        _priorMean = Math.Sqrt(2) + (0.5 * Math.Log(Math.Max(1, _d)));
        var pairs = n * (n - 1) / 2;
        _deltas = new double[pairs * _d];
        for (int i = 1, p = 0; i < n; i++)
        {
            for (var j = 0; j < i; j++, p++)
            {
                for (var c = 0; c < _d; c++)
                {
                    _deltas[(p * _d) + c] = MaternKernel.Delta(x[(i * _d) + c], x[(j * _d) + c], categorical[c]);
                }
            }
        }

        _k = new double[n * n];
        _corr = new double[pairs];
        _dcorr = new double[pairs];
    }

    /// <summary>The number of free parameters: d length scales, the signal variance and, unless deterministic, the noise.</summary>
    public int Parameters => _d + (_deterministic ? 1 : 2);

    /// <summary>The lower bounds of the free parameters.</summary>
    public double[] Lower()
    {
        var v = new double[Parameters];
        Array.Fill(v, LogInvSqLengthMin, 0, _d);
        v[_d] = LogSignalMin;
        if (!_deterministic)
        {
            v[_d + 1] = Math.Log(NoiseFloor);
        }

        return v;
    }

    /// <summary>The upper bounds of the free parameters.</summary>
    public double[] Upper()
    {
        var v = new double[Parameters];
        Array.Fill(v, LogInvSqLengthMax, 0, _d);
        v[_d] = LogSignalMax;
        if (!_deterministic)
        {
            v[_d + 1] = 0;
        }

        return v;
    }

    /// <summary>The free parameters of <paramref name="h"/>, clamped into the bounds.</summary>
    public double[] Free(KernelHyperparameters h)
    {
        var v = new double[Parameters];
        var lo = Lower();
        var hi = Upper();
        for (var j = 0; j < _d; j++)
        {
            v[j] = h.LogInverseSquaredLengthScales[j];
        }

        v[_d] = h.LogSignalVariance;
        if (!_deterministic)
        {
            v[_d + 1] = h.LogNoiseVariance;
        }

        for (var j = 0; j < v.Length; j++)
        {
            v[j] = Math.Clamp(v[j], lo[j], hi[j]);
        }

        return v;
    }

    /// <summary>The hyperparameters a free-parameter vector stands for.</summary>
    public KernelHyperparameters ToHyperparameters(ReadOnlySpan<double> free) =>
        new(free[.._d].ToArray(), free[_d], _deterministic ? Math.Log(DeterministicNoise) : free[_d + 1]);

    /// <summary>A neutral start: length scales of half the unit cube's diagonal, unit signal variance, small noise.</summary>
    public KernelHyperparameters Default()
    {
        var w = new double[_d];
        Array.Fill(w, -2 * Math.Log(0.5 * Math.Sqrt(Math.Max(1, _d))));
        return new KernelHyperparameters(w, 0, Math.Log(_deterministic ? DeterministicNoise : 1e-3));
    }

    /// <summary>
    /// The maximum a posteriori hyperparameters, by L-BFGS-B from each start (the best result wins); null when no start
    /// gave a finite posterior.
    /// </summary>
    public KernelHyperparameters? Fit(IEnumerable<KernelHyperparameters> starts, int maxIterations)
    {
        var lo = Lower();
        var hi = Upper();
        double[]? best = null;
        var bestValue = double.PositiveInfinity;
        foreach (var start in starts)
        {
            // Per observation, so that the tolerances mean the same whatever the amount of data.
            var (point, value) = BoundedMinimizer.Minimize(EvaluatePerPoint, lo, hi, Free(start), maxIterations, 1e-4);
            if (value < bestValue)
            {
                bestValue = value;
                best = point;
            }
        }

        return best is null || !double.IsFinite(bestValue) || bestValue >= 1e299 ? null : ToHyperparameters(best);
    }

    private double EvaluatePerPoint(double[] free, double[] gradient)
    {
        var value = Evaluate(free, gradient);
        for (var i = 0; i < gradient.Length; i++)
        {
            gradient[i] /= _n;
        }

        return value / _n;
    }

    /// <summary>The negative log posterior at the free parameters <paramref name="free"/>; writes its gradient into <paramref name="gradient"/>.</summary>
    public double Evaluate(double[] free, double[] gradient)
    {
        var n = _n;
        var d = _d;
        var w = new double[d];
        for (var j = 0; j < d; j++)
        {
            w[j] = Math.Exp(free[j]);
        }

        var s = Math.Exp(free[d]);
        var noise = _deterministic ? DeterministicNoise : Math.Exp(free[d + 1]);
        for (int i = 1, p = 0; i < n; i++)
        {
            for (var j = 0; j < i; j++, p++)
            {
                var r2 = 0.0;
                for (var c = 0; c < d; c++)
                {
                    r2 += w[c] * _deltas[(p * d) + c];
                }

                _corr[p] = MaternKernel.Correlation(r2);
                _dcorr[p] = MaternKernel.CorrelationDerivative(r2);
                _k[(i * n) + j] = s * _corr[p];
            }
        }

        CholeskyFactor? chol = null;
        var jitter = 0.0;
        for (var attempt = 0; attempt < 4 && chol is null; attempt++)
        {
            for (var i = 0; i < n; i++)
            {
                _k[(i * n) + i] = s + noise + jitter;
            }

            chol = CholeskyFactor.TryFactor(_k, n, n);
            jitter = jitter == 0 ? 1e-8 * s : jitter * 100;
        }

        if (chol is null)
        {
            Array.Clear(gradient);
            return double.PositiveInfinity;
        }

        var alpha = (double[])_y.Clone();
        chol.SolveLower(alpha);
        chol.SolveUpper(alpha);
        var value = (0.5 * CholeskyFactor.Dot(_y, alpha)) + chol.HalfLogDeterminant() + (0.5 * n * LogTwoPi);

        // d(-log p(y|θ))/dθ = -½ tr((ααᵀ - K⁻¹) ∂K/∂θ).
        var inv = chol.Inverse();
        Array.Clear(gradient);
        var traceSignal = 0.0;
        var traceDiagonal = 0.0;
        for (var i = 0; i < n; i++)
        {
            traceDiagonal += (alpha[i] * alpha[i]) - inv[(i * n) + i];
        }

        for (int i = 1, p = 0; i < n; i++)
        {
            for (var j = 0; j < i; j++, p++)
            {
                var wij = 2 * ((alpha[i] * alpha[j]) - inv[(i * n) + j]);
                traceSignal += wij * _corr[p];
                var f = wij * _dcorr[p];
                for (var c = 0; c < d; c++)
                {
                    gradient[c] += f * _deltas[(p * d) + c];
                }
            }
        }

        for (var c = 0; c < d; c++)
        {
            gradient[c] *= -0.5 * s * w[c];
        }

        gradient[d] = -0.5 * s * (traceSignal + traceDiagonal);
        if (!_deterministic)
        {
            gradient[d + 1] = -0.5 * noise * traceDiagonal;
        }

        // Priors (negative log densities, up to constants).
        for (var c = 0; c < d; c++)
        {
            // θ = ln w = -2 ln ℓ, so θ ~ N(-2μ, 12).
            var z = free[c] + (2 * _priorMean);
            value += z * z / 24;
            gradient[c] += z / 12;
        }

        value -= free[d] - s;
        gradient[d] -= 1 - s;
        if (!_deterministic)
        {
            value -= (0.1 * free[d + 1]) - (30 * noise);
            gradient[d + 1] -= 0.1 - (30 * noise);
        }

        return value;
    }
}
