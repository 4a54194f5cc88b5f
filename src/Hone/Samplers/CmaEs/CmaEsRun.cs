using MathNet.Numerics.LinearAlgebra;

namespace Hone.Samplers.CmaEs;

/// <summary>
/// One run of (μ/μ_w, λ)-CMA-ES in the unit box [0, 1]^n, with the default strategy parameters of Hansen's tutorial
/// (arXiv:1604.00772, table 1): log weights, cumulative step-size adaptation, rank-one and rank-μ updates, and the
/// eigendecomposition of C refreshed lazily. With <c>separable</c>, C is diagonal and the learning rates are those of
/// Ros and Hansen (2008).
/// </summary>
internal sealed class CmaEsRun
{
    private const double TolFun = 1e-12;
    private const double TolX = 1e-12;
    private const double MaxCondition = 1e14;

    private readonly int _n;
    private readonly bool _separable;
    private readonly double[] _weights;
    private readonly double _muEff;
    private readonly double _cc;
    private readonly double _cs;
    private readonly double _c1;
    private readonly double _cmu;
    private readonly double _damps;
    private readonly double _chiN;
    private readonly double[] _mean;
    private readonly double[,] _c;
    private readonly double[,] _b;
    private readonly double[] _d;
    private readonly double[] _pc;
    private readonly double[] _ps;
    private readonly Queue<double> _bestHistory = new();
    private readonly int _historyLength;
    private int _eigenAge;

    public CmaEsRun(int n, int lambda, double[] mean, double sigma, bool separable)
    {
        _n = n;
        _separable = separable;
        Lambda = lambda;
        Mu = lambda / 2;
        _weights = new double[Mu];
        double sum = 0, sumSq = 0;
        for (var i = 0; i < Mu; i++)
        {
            _weights[i] = Math.Log((lambda + 1) / 2.0) - Math.Log(i + 1);
            sum += _weights[i];
        }

        for (var i = 0; i < Mu; i++)
        {
            _weights[i] /= sum;
            sumSq += _weights[i] * _weights[i];
        }

        _muEff = 1 / sumSq;
        _cc = (4 + (_muEff / n)) / (n + 4 + (2 * _muEff / n));
        _cs = (_muEff + 2) / (n + _muEff + 5);
        _c1 = 2 / (((n + 1.3) * (n + 1.3)) + _muEff);
        _cmu = Math.Min(1 - _c1, 2 * (_muEff - 2 + (1 / _muEff)) / (((n + 2) * (n + 2)) + _muEff));
        if (separable)
        {
            // Ros and Hansen (2008): a diagonal C has n, not n²/2, free entries, so it can learn (n + 2)/3 times faster.
            var factor = (n + 2) / 3.0;
            _c1 = Math.Min(1, _c1 * factor);
            _cmu = Math.Min(1 - _c1, _cmu * factor);
        }

        _damps = 1 + (2 * Math.Max(0, Math.Sqrt((_muEff - 1) / (n + 1)) - 1)) + _cs;
        _chiN = Math.Sqrt(n) * (1 - (1.0 / (4 * n)) + (1.0 / (21.0 * n * n)));
        _mean = (double[])mean.Clone();
        Sigma = sigma;
        Sigma0 = sigma;
        _c = new double[n, n];
        _b = new double[n, n];
        _d = new double[n];
        for (var i = 0; i < n; i++)
        {
            _c[i, i] = 1;
            _b[i, i] = 1;
            _d[i] = 1;
        }

        _pc = new double[n];
        _ps = new double[n];
        _historyLength = 10 + (int)Math.Ceiling(30.0 * n / lambda);
    }

    /// <summary>The population size.</summary>
    public int Lambda { get; }

    /// <summary>The number of parents.</summary>
    public int Mu { get; }

    /// <summary>The current step size.</summary>
    public double Sigma { get; private set; }

    /// <summary>The step size the run started with.</summary>
    public double Sigma0 { get; }

    /// <summary>The number of generations told.</summary>
    public int Generations { get; private set; }

    /// <summary>The distribution mean (read-only view).</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>The standard deviation of coordinate <paramref name="i"/> of the search distribution, σ√C_ii.</summary>
    public double MarginalStd(int i) => Sigma * Math.Sqrt(_c[i, i]);

    /// <summary>Writes y = B D z for a standard normal <paramref name="z"/>: a step of the search distribution before σ.</summary>
    public void Transform(ReadOnlySpan<double> z, Span<double> y)
    {
        for (var i = 0; i < _n; i++)
        {
            double s = 0;
            for (var j = 0; j < _n; j++)
            {
                s += _b[i, j] * _d[j] * z[j];
            }

            y[i] = s;
        }
    }

    /// <summary>
    /// Updates the distribution from one generation's steps y = (x − m)/σ, sorted best first (at least μ of them), and
    /// the generation's best and worst objective values (minimized).
    /// </summary>
    public void Tell(double[][] sortedSteps, double best, double worst)
    {
        var n = _n;
        Span<double> yw = stackalloc double[n];
        for (var k = 0; k < Mu; k++)
        {
            for (var i = 0; i < n; i++)
            {
                yw[i] += _weights[k] * sortedSteps[k][i];
            }
        }

        for (var i = 0; i < n; i++)
        {
            _mean[i] = Math.Clamp(_mean[i] + (Sigma * yw[i]), 0, 1);
        }

        // C^{-1/2} yw = B D^{-1} Bᵀ yw.
        Span<double> t = stackalloc double[n];
        Span<double> invSqrtYw = stackalloc double[n];
        for (var j = 0; j < n; j++)
        {
            double s = 0;
            for (var i = 0; i < n; i++)
            {
                s += _b[i, j] * yw[i];
            }

            t[j] = s / _d[j];
        }

        for (var i = 0; i < n; i++)
        {
            double s = 0;
            for (var j = 0; j < n; j++)
            {
                s += _b[i, j] * t[j];
            }

            invSqrtYw[i] = s;
        }

        var csFactor = Math.Sqrt(_cs * (2 - _cs) * _muEff);
        double psNorm = 0;
        for (var i = 0; i < n; i++)
        {
            _ps[i] = ((1 - _cs) * _ps[i]) + (csFactor * invSqrtYw[i]);
            psNorm += _ps[i] * _ps[i];
        }

        psNorm = Math.Sqrt(psNorm);
        Generations++;
        var hsig = psNorm / Math.Sqrt(1 - Math.Pow(1 - _cs, 2.0 * Generations)) < (1.4 + (2.0 / (n + 1))) * _chiN;
        var ccFactor = Math.Sqrt(_cc * (2 - _cc) * _muEff);
        for (var i = 0; i < n; i++)
        {
            _pc[i] = ((1 - _cc) * _pc[i]) + (hsig ? ccFactor * yw[i] : 0);
        }

        var deltaH = hsig ? 0 : _cc * (2 - _cc);
        var keep = 1 - _c1 - _cmu + (_c1 * deltaH);
        for (var i = 0; i < n; i++)
        {
            for (var j = _separable ? i : 0; j < (_separable ? i + 1 : n); j++)
            {
                double rankMu = 0;
                for (var k = 0; k < Mu; k++)
                {
                    rankMu += _weights[k] * sortedSteps[k][i] * sortedSteps[k][j];
                }

                _c[i, j] = (keep * _c[i, j]) + (_c1 * _pc[i] * _pc[j]) + (_cmu * rankMu);
            }
        }

        Sigma *= Math.Exp(_cs / _damps * ((psNorm / _chiN) - 1));
        Sigma = Math.Min(Sigma, 1e32);
        UpdateEigen();
        _bestHistory.Enqueue(best);
        if (_bestHistory.Count > _historyLength)
        {
            _bestHistory.Dequeue();
        }

        LastBest = best;
        LastWorst = worst;
    }

    private double LastBest { get; set; }

    private double LastWorst { get; set; }

    /// <summary>
    /// Whether a standard termination criterion holds (tutorial, appendix B.3): tolfun (the best values of the last
    /// 10 + ⌈30n/λ⌉ generations and the last generation's values all within 1e-12), tolx (every coordinate's σ·max(pc, √C_ii)
    /// below 1e-12 of the box), conditioning (cond(C) above 1e14), no effect of an axis or of a coordinate on the mean.
    /// </summary>
    public bool ShouldStop()
    {
        if (Generations == 0)
        {
            return false;
        }

        if (_bestHistory.Count >= _historyLength)
        {
            double lo = LastWorst, hi = LastWorst;
            foreach (var v in _bestHistory)
            {
                lo = Math.Min(lo, v);
                hi = Math.Max(hi, v);
            }

            lo = Math.Min(lo, LastBest);
            if (hi - lo < TolFun)
            {
                return true;
            }
        }

        var allSmall = true;
        double dMin = double.MaxValue, dMax = 0;
        for (var i = 0; i < _n; i++)
        {
            allSmall &= Sigma * Math.Max(Math.Abs(_pc[i]), Math.Sqrt(_c[i, i])) < TolX;
            dMin = Math.Min(dMin, _d[i]);
            dMax = Math.Max(dMax, _d[i]);
            if (_mean[i] == _mean[i] + (0.2 * Sigma * Math.Sqrt(_c[i, i])))
            {
                return true;
            }
        }

        if (allSmall || (dMax / dMin) * (dMax / dMin) > MaxCondition || !double.IsFinite(Sigma))
        {
            return true;
        }

        var axis = Generations % _n;
        var noEffect = true;
        for (var i = 0; i < _n && noEffect; i++)
        {
            noEffect = _mean[i] == _mean[i] + (0.1 * Sigma * _d[axis] * _b[i, axis]);
        }

        return noEffect;
    }

    private void UpdateEigen()
    {
        var n = _n;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < i; j++)
            {
                _c[i, j] = _separable ? 0 : _c[j, i];
            }
        }

        if (_separable)
        {
            for (var i = 0; i < n; i++)
            {
                _d[i] = Math.Sqrt(Math.Max(_c[i, i], 1e-300));
            }

            return;
        }

        // The tutorial's lazy update: decompose only every 1/(10 n (c1 + cμ)) generations, O(n²) per generation amortized.
        _eigenAge++;
        if (_eigenAge < Math.Max(1, 1 / ((_c1 + _cmu) * n * 10)))
        {
            return;
        }

        _eigenAge = 0;
        var evd = Matrix<double>.Build.DenseOfArray(_c).Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues;
        var vectors = evd.EigenVectors;
        for (var j = 0; j < n; j++)
        {
            _d[j] = Math.Sqrt(Math.Max(values[j].Real, 1e-300));
            for (var i = 0; i < n; i++)
            {
                _b[i, j] = vectors[i, j];
            }
        }
    }
}
