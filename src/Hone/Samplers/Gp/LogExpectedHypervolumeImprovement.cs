namespace Hone.Samplers.Gp;

/// <summary>
/// The logarithm of the expected hypervolume improvement of a point whose objectives (maximised) are independent
/// Gaussians, computed exactly over the <see cref="ImprovementBoxes"/> of the current front: EHVI = Σ_boxes Π_j
/// E[(min(Y_j, u_j) − l_j)⁺] and E[(min(Y, u) − l)⁺] = σ (h((μ − l)/σ) − h((μ − u)/σ)) with h(z) = φ(z) + zΦ(z), each
/// factor taken in log space through <see cref="LogExpectedImprovement.LogH"/> and the boxes summed by log-sum-exp, so
/// the value and its gradient stay finite far from the front where EHVI itself underflows (the expected hypervolume
/// improvement of Emmerich, Giannakoglou and Naujoks 2006, in the box-decomposition form of Daulton, Balandat and
/// Bakshy, "Differentiable Expected Hypervolume Improvement for Parallel Multi-Objective Bayesian Optimization", NeurIPS
/// 2020, evaluated in log space as Ament et al., "Unexpected Improvements to Expected Improvement for Bayesian
/// Optimization", NeurIPS 2023, propose for qLogEHVI). Not thread-safe: it keeps scratch buffers.
/// </summary>
internal sealed class LogExpectedHypervolumeImprovement
{
    private readonly ImprovementBoxes _boxes;
    private readonly int _m;

    // Per axis: log-factor of each interval (first M − 1 axes) or each lower bound (last axis), and its derivatives.
    private readonly double[][] _log;
    private readonly double[][] _dMean;
    private readonly double[][] _dVariance;
    private readonly double[][] _weight;
    private readonly double[] _logH;
    private readonly double[] _slope;
    private readonly double[] _sums;

    public LogExpectedHypervolumeImprovement(ImprovementBoxes boxes)
    {
        _boxes = boxes;
        _m = boxes.Objectives;
        _log = new double[_m][];
        _dMean = new double[_m][];
        _dVariance = new double[_m][];
        _weight = new double[_m][];
        var longest = boxes.LastLower.Length;
        for (var j = 0; j < _m; j++)
        {
            var count = j < _m - 1 ? boxes.Grids[j].Length - 1 : boxes.LastLower.Length;
            longest = Math.Max(longest, count + 1);
            _log[j] = new double[count];
            _dMean[j] = new double[count];
            _dVariance[j] = new double[count];
            _weight[j] = new double[count];
        }

        _logH = new double[longest];
        _slope = new double[longest];
        _sums = new double[boxes.Count];
    }

    /// <summary>The boxes the improvement is computed over.</summary>
    public ImprovementBoxes Boxes => _boxes;

    /// <summary>
    /// log EHVI at posterior means <paramref name="mean"/> and variances <paramref name="variance"/> (one per
    /// objective). When <paramref name="meanCoefficient"/> and <paramref name="varianceCoefficient"/> are not empty they
    /// receive ∂logEHVI/∂μ_j and ∂logEHVI/∂σ²_j.
    /// </summary>
    public double Value(ReadOnlySpan<double> mean, ReadOnlySpan<double> variance, Span<double> meanCoefficient, Span<double> varianceCoefficient)
    {
        var gradient = !meanCoefficient.IsEmpty;
        for (var j = 0; j < _m; j++)
        {
            var sigma = Math.Sqrt(variance[j]);
            var logSigma = Math.Log(sigma);
            if (j < _m - 1)
            {
                var grid = _boxes.Grids[j];
                for (var i = 0; i < grid.Length; i++)
                {
                    var z = (mean[j] - grid[i]) / sigma;
                    _logH[i] = double.IsNegativeInfinity(z) ? double.NegativeInfinity : LogExpectedImprovement.LogH(z);
                    _slope[i] = double.IsNegativeInfinity(z) ? 0 : LogExpectedImprovement.LogHDerivative(z);
                }

                for (var i = 0; i < grid.Length - 1; i++)
                {
                    // log(h(zl) − h(zu)) with zl = (μ − l)/σ > zu = (μ − u)/σ.
                    var zl = (mean[j] - grid[i]) / sigma;
                    var zu = (mean[j] - grid[i + 1]) / sigma;
                    var gap = _logH[i + 1] - _logH[i];
                    var r = Math.Exp(gap);
                    var oneMinusR = double.IsNegativeInfinity(gap) ? 1 : -Math.Exp(gap) + 1;
                    if (gap > -0.693)
                    {
                        oneMinusR = -MathNet.Numerics.SpecialFunctions.Expm1(gap);
                    }

                    if (!(oneMinusR > 0))
                    {
                        _log[j][i] = double.NegativeInfinity;
                        _dMean[j][i] = 0;
                        _dVariance[j][i] = 0;
                        continue;
                    }

                    _log[j][i] = logSigma + _logH[i] + Math.Log(oneMinusR);
                    if (gradient)
                    {
                        var a = _slope[i] / oneMinusR;
                        var b = double.IsNegativeInfinity(zu) ? 0 : _slope[i + 1] * r / oneMinusR;
                        _dMean[j][i] = (a - b) / sigma;
                        _dVariance[j][i] = (1 - (a * zl) + (double.IsNegativeInfinity(zu) ? 0 : b * zu)) / (2 * variance[j]);
                    }
                }
            }
            else
            {
                var lower = _boxes.LastLower;
                for (var i = 0; i < lower.Length; i++)
                {
                    var z = (mean[j] - lower[i]) / sigma;
                    _log[j][i] = logSigma + LogExpectedImprovement.LogH(z);
                    if (gradient)
                    {
                        var a = LogExpectedImprovement.LogHDerivative(z);
                        _dMean[j][i] = a / sigma;
                        _dVariance[j][i] = (1 - (a * z)) / (2 * variance[j]);
                    }
                }
            }
        }

        var cells = _boxes.Cells;
        var max = double.NegativeInfinity;
        for (var b = 0; b < _sums.Length; b++)
        {
            var s = 0.0;
            var offset = b * _m;
            for (var j = 0; j < _m; j++)
            {
                s += _log[j][cells[offset + j]];
            }

            _sums[b] = s;
            if (s > max)
            {
                max = s;
            }
        }

        if (double.IsNegativeInfinity(max))
        {
            meanCoefficient.Clear();
            varianceCoefficient.Clear();
            return -1e300;
        }

        var total = 0.0;
        for (var b = 0; b < _sums.Length; b++)
        {
            _sums[b] = Math.Exp(_sums[b] - max);
            total += _sums[b];
        }

        var value = max + Math.Log(total);
        if (gradient)
        {
            for (var j = 0; j < _m; j++)
            {
                Array.Clear(_weight[j]);
            }

            for (var b = 0; b < _sums.Length; b++)
            {
                var w = _sums[b] / total;
                var offset = b * _m;
                for (var j = 0; j < _m; j++)
                {
                    _weight[j][cells[offset + j]] += w;
                }
            }

            for (var j = 0; j < _m; j++)
            {
                double dm = 0, dv = 0;
                for (var i = 0; i < _weight[j].Length; i++)
                {
                    if (_weight[j][i] > 0)
                    {
                        dm += _weight[j][i] * _dMean[j][i];
                        dv += _weight[j][i] * _dVariance[j][i];
                    }
                }

                meanCoefficient[j] = dm;
                varianceCoefficient[j] = dv;
            }
        }

        return value;
    }
}
