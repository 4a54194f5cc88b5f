using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Hone.Samplers.CmaEs;

/// <summary>
/// One run of (μ/μ_w, λ)-CMA-ES in the unit box [0, 1]^n, with the default strategy parameters of Hansen's tutorial
/// (arXiv:1604.00772, table 1): log weights, cumulative step-size adaptation, rank-one and rank-μ updates, and the
/// eigendecomposition of C refreshed lazily. With <c>separable</c>, C is diagonal and the learning rates are those of
/// Ros and Hansen (2008). Optionally the learning rates of the mean and of σ²C adapt to the signal-to-noise ratio of
/// their updates (LRA-CMA-ES, Nomura, Akimoto and Ono 2023), and integer coordinates keep a margin (Hamano et al. 2022):
/// a diagonal factor A on the sampled step and a mean correction that keep the marginal probability of leaving the
/// current integer at least α.
/// </summary>
internal sealed class CmaEsRun
{
    private const double TolFun = 1e-12;
    private const double TolX = 1e-12;
    private const double MaxCondition = 1e14;

    // LRA-CMA-ES constants (Nomura, Akimoto and Ono 2023, section 4): target SNR α, moving-average rates β, step γ.
    private const double LraAlpha = 1.4;
    private const double LraBetaMean = 0.1;
    private const double LraBetaSigma = 0.03;
    private const double LraGamma = 0.1;

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
    private readonly bool _lrAdapt;
    private readonly double[] _a;
    private readonly double[] _eMean = [];
    private readonly double[] _eSigma = [];
    private double _vMean;
    private double _vSigma;
    private int _eigenAge;

    /// <summary>Starts a run.</summary>
    /// <param name="n">The dimension.</param>
    /// <param name="lambda">The population size.</param>
    /// <param name="mean">The initial mean, in the unit box.</param>
    /// <param name="sigma">The initial step size.</param>
    /// <param name="separable">Whether C stays diagonal.</param>
    /// <param name="cov">The initial C (symmetric positive definite), or null for the identity (WS-CMA-ES passes its estimate).</param>
    /// <param name="lrAdapt">Whether the learning rates of the mean and of σ²C adapt (LRA-CMA-ES).</param>
    public CmaEsRun(int n, int lambda, double[] mean, double sigma, bool separable, double[,]? cov = null, bool lrAdapt = false)
    {
        _n = n;
        _separable = separable;
        _lrAdapt = lrAdapt;
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

        if (cov is not null)
        {
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    _c[i, j] = separable && i != j ? 0 : cov[i, j];
                }
            }

            Decompose();
        }

        _pc = new double[n];
        _ps = new double[n];
        _historyLength = 10 + (int)Math.Ceiling(30.0 * n / lambda);
        _a = new double[n];
        Array.Fill(_a, 1.0);
        if (lrAdapt)
        {
            _eMean = new double[n];
            _eSigma = new double[n * n];
        }
    }

    /// <summary>The learning rate of the mean: 1 without adaptation, at most 1 with it.</summary>
    public double EtaMean { get; private set; } = 1;

    /// <summary>The learning rate of σ²C: 1 without adaptation, at most 1 with it.</summary>
    public double EtaSigma { get; private set; } = 1;

    /// <summary>The margin's diagonal factors A on the sampled step (1 for coordinates the margin never corrected).</summary>
    public ReadOnlySpan<double> MarginFactors => _a;

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
        double[]? oldMean = null;
        double[,]? oldC = null;
        var oldSigma = Sigma;
        if (_lrAdapt)
        {
            oldMean = (double[])_mean.Clone();
            oldC = (double[,])_c.Clone();
        }

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
        if (_lrAdapt)
        {
            // B and D still decompose the old C exactly (decomposed every generation with adaptation).
            AdaptLearningRates(oldMean!, oldSigma, oldC!);
        }
        else
        {
            UpdateEigen();
        }
        _bestHistory.Enqueue(best);
        if (_bestHistory.Count > _historyLength)
        {
            _bestHistory.Dequeue();
        }

        LastBest = best;
        LastWorst = worst;
    }

    /// <summary>
    /// The margin of Hamano et al. (2022) after an update: for each integer coordinate i (the unit width of one value's
    /// cell in <paramref name="cellWidths"/>, 0 for continuous coordinates), the probability that a sample of
    /// m_i + σ A_i √C_ii N(0, 1) leaves the cell of the mean's integer is kept at least <paramref name="alpha"/>. With the
    /// mean in an end cell (one neighbour) the mean moves towards the threshold until that probability is α; inside, the
    /// probabilities below and above the cell are raised to at least α/2 each (the excess taken from the others in
    /// proportion), and A_i and m_i are solved from the two thresholds. σ and C are not changed.
    /// </summary>
    public void ApplyMargin(ReadOnlySpan<double> cellWidths, double alpha)
    {
        for (var i = 0; i < _n; i++)
        {
            var w = cellWidths[i];
            if (!(w > 0))
            {
                continue;
            }

            var cells = (int)Math.Round(1 / w);
            var m = _mean[i];
            var rootC = Math.Sqrt(_c[i, i]);
            var s = Sigma * _a[i] * rootC;
            if (!(s > 0) || !double.IsFinite(s))
            {
                continue;
            }

            var cell = Math.Clamp((int)Math.Floor(m / w), 0, cells - 1);
            var low = (cell == 0 ? 1 : cell) * w;
            var up = (cell == cells - 1 ? cells - 1 : cell + 1) * w;
            var pLow = Normal.CDF(0, 1, (low - m) / s);
            var pUp = 1 - Normal.CDF(0, 1, (up - m) / s);
            var pMid = 1 - pLow - pUp;
            if (Math.Max(pLow, pUp) > 0.5)
            {
                // An end cell: low == up is its only threshold.
                if (Math.Min(pLow, pUp) < alpha)
                {
                    _mean[i] = up + (Math.Sign(m - up) * s * Normal.InvCDF(0, 1, 1 - alpha));
                }

                continue;
            }

            if (pLow >= alpha / 2 && pUp >= alpha / 2)
            {
                continue;
            }

            var l = Math.Max(pLow, alpha / 2);
            var u = Math.Max(pUp, alpha / 2);
            var excess = l + u + pMid - 1;
            var spare = l + pMid + u - (3 * alpha / 2);
            l = Math.Clamp(l - (excess * (l - (alpha / 2)) / spare), 1e-10, 0.5 - 1e-10);
            u = Math.Clamp(u - (excess * (u - (alpha / 2)) / spare), 1e-10, 0.5 - 1e-10);
            var chiLow = Normal.InvCDF(0, 1, 1 - l);
            var chiUp = Normal.InvCDF(0, 1, 1 - u);
            _a[i] = (up - low) / ((chiLow + chiUp) * Sigma * rootC);
            _mean[i] = ((low * chiUp) + (up * chiLow)) / (chiLow + chiUp);
        }
    }

    /// <summary>
    /// LRA-CMA-ES (Nomura, Akimoto and Ono 2023, algorithm 1): measures the update of the mean and of Σ = σ²C in the
    /// old distribution's local coordinates, tracks their moving averages E and V, estimates each one's signal-to-noise
    /// ratio, moves the learning rates η towards SNR/α, and redoes the update with them: m = m_old + η_m Δm,
    /// Σ = Σ_old + η_Σ ΔΣ, then σ = det(Σ)^(1/2n), C = Σ/σ², and σ scaled by η_m(before)/η_m.
    /// </summary>
    private void AdaptLearningRates(double[] oldMean, double oldSigma, double[,] oldC)
    {
        var n = _n;

        // The old C^{-1/2} / σ_old = B D^{-1} Bᵀ / σ_old.
        var w = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double s = 0;
                for (var k = 0; k < n; k++)
                {
                    s += _b[i, k] * _b[j, k] / _d[k];
                }

                w[i, j] = s / oldSigma;
            }
        }

        var s2 = Sigma * Sigma;
        var oldS2 = oldSigma * oldSigma;
        var dMean = new double[n];
        var dSigma = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            dMean[i] = _mean[i] - oldMean[i];
            for (var j = 0; j < n; j++)
            {
                dSigma[i, j] = (s2 * _c[i, j]) - (oldS2 * oldC[i, j]);
            }
        }

        double normMean = 0;
        for (var i = 0; i < n; i++)
        {
            double s = 0;
            for (var j = 0; j < n; j++)
            {
                s += w[i, j] * dMean[j];
            }

            _eMean[i] = ((1 - LraBetaMean) * _eMean[i]) + (LraBetaMean * s);
            normMean += s * s;
        }

        // W ΔΣ W, flattened, divided by √2.
        var t = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double s = 0;
                for (var k = 0; k < n; k++)
                {
                    s += w[i, k] * dSigma[k, j];
                }

                t[i, j] = s;
            }
        }

        double normSigma = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double s = 0;
                for (var k = 0; k < n; k++)
                {
                    s += t[i, k] * w[k, j];
                }

                s /= Math.Sqrt(2);
                _eSigma[(i * n) + j] = ((1 - LraBetaSigma) * _eSigma[(i * n) + j]) + (LraBetaSigma * s);
                normSigma += s * s;
            }
        }

        _vMean = ((1 - LraBetaMean) * _vMean) + (LraBetaMean * normMean);
        _vSigma = ((1 - LraBetaSigma) * _vSigma) + (LraBetaSigma * normSigma);
        var snrMean = Snr(_eMean, _vMean, LraBetaMean);
        var snrSigma = Snr(_eSigma, _vSigma, LraBetaSigma);
        var etaMeanBefore = EtaMean;
        EtaMean = Math.Min(1, EtaMean * Math.Exp(Math.Min(LraGamma * EtaMean, LraBetaMean) * Math.Clamp((snrMean / LraAlpha / EtaMean) - 1, -1, 1)));
        EtaSigma = Math.Min(1, EtaSigma * Math.Exp(Math.Min(LraGamma * EtaSigma, LraBetaSigma) * Math.Clamp((snrSigma / LraAlpha / EtaSigma) - 1, -1, 1)));

        for (var i = 0; i < n; i++)
        {
            _mean[i] = oldMean[i] + (EtaMean * dMean[i]);
            for (var j = 0; j < n; j++)
            {
                _c[i, j] = (oldS2 * oldC[i, j]) + (EtaSigma * dSigma[i, j]);
            }
        }

        // _c holds Σ now; σ = det(Σ)^(1/2n) from its eigenvalues, then C = Σ/σ².
        Decompose();
        double logDet = 0;
        for (var k = 0; k < n; k++)
        {
            logDet += 2 * Math.Log(_d[k]);
        }

        var sigma = Math.Min(Math.Exp(logDet / (2 * n)), 1e32);
        for (var i = 0; i < n; i++)
        {
            _d[i] /= sigma;
            for (var j = 0; j < n; j++)
            {
                _c[i, j] /= sigma * sigma;
            }
        }

        Sigma = sigma * etaMeanBefore / EtaMean;
    }

    private static double Snr(double[] e, double v, double beta)
    {
        double sq = 0;
        foreach (var x in e)
        {
            sq += x * x;
        }

        return (sq - (beta / (2 - beta) * v)) / (v - sq);
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
        Decompose();
    }

    /// <summary>B and D from the symmetric _c (its diagonal alone when separable).</summary>
    private void Decompose()
    {
        var n = _n;
        if (_separable)
        {
            for (var i = 0; i < n; i++)
            {
                _d[i] = Math.Sqrt(Math.Max(_c[i, i], 1e-300));
            }

            return;
        }

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
