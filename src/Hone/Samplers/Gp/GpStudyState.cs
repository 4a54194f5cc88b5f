using Hone.Distributions;
using Hone.Samplers.Qmc;
using Hone.Trials;

namespace Hone.Samplers.Gp;

/// <summary>
/// What one <see cref="GpSampler"/> knows of one study (or one partition of its trials): the joint space, the complete
/// trials' encoded inputs and outputs in the order it saw them, the last fitted hyperparameters with the GP factored
/// under them, and the points it proposed to trials still running. Not thread-safe: callers hold <see cref="Gate"/>.
/// </summary>
internal sealed class GpStudyState
{
    /// <summary>The data size up to which the hyperparameters are refitted for every suggestion; beyond, when the data grew by 5%.</summary>
    internal const int RefitEveryTrialUpTo = 64;

    /// <summary>The data size up to which every one of <see cref="GpSamplerOptions.Candidates"/> is scored; beyond, fewer, as (100/n)².</summary>
    internal const int ScoringFullUpTo = 100;

    private const int MinCandidates = 512;

    private readonly long _seed;
    private readonly GpSamplerOptions _options;
    private readonly HashSet<int> _included = [];
    private readonly List<int> _numbers = [];
    private readonly List<double> _values = [];
    private readonly SortedDictionary<int, double[]> _pending = [];
    private double[] _x = [];
    private IReadOnlyList<FrozenTrial>? _spaceSource;
    private double[]? _sobol;
    private GaussianProcess? _base;
    private int _fittedAt;

    public GpStudyState(long seed, GpSamplerOptions options)
    {
        _seed = seed;
        _options = options;
    }

    public Lock Gate { get; } = new();

    /// <summary>The intersection of the complete trials' spaces (numeric and categorical parameters that take a value).</summary>
    public GpSearchSpace Space { get; private set; } = new([]);

    /// <summary>How many complete trials the space was inferred from.</summary>
    public int CompleteCount { get; private set; }

    /// <summary>The hyperparameters of the last fit, for tests.</summary>
    public KernelHyperparameters? Hyperparameters { get; private set; }

    /// <summary>How many times the hyperparameters were fitted, for tests.</summary>
    public int Fits { get; private set; }

    /// <summary>The points in the model's data, for tests.</summary>
    public int DataCount => _numbers.Count;

    /// <summary>Infers the joint space from <paramref name="trials"/> (recomputed only when the list changes).</summary>
    public GpSearchSpace InferSpace(IReadOnlyList<FrozenTrial> trials)
    {
        if (ReferenceEquals(trials, _spaceSource))
        {
            return Space;
        }

        SortedDictionary<string, Distribution>? dims = null;
        var complete = 0;
        foreach (var t in trials)
        {
            if (t.State != TrialState.Complete)
            {
                continue;
            }

            complete++;
            if (dims is null)
            {
                dims = new SortedDictionary<string, Distribution>(StringComparer.Ordinal);
                foreach (var (name, d) in t.Distributions)
                {
                    if (!d.IsSingle)
                    {
                        dims[name] = d;
                    }
                }

                continue;
            }

            List<string>? drop = null;
            foreach (var (name, d) in dims)
            {
                if (!t.Distributions.TryGetValue(name, out var other) || !d.Equals(other))
                {
                    (drop ??= []).Add(name);
                }
            }

            foreach (var name in drop ?? [])
            {
                dims.Remove(name);
            }
        }

        var space = new GpSearchSpace(dims ?? []);
        if (!space.SameAs(Space))
        {
            Space = space;
        }

        CompleteCount = complete;
        _spaceSource = trials;
        return Space;
    }

    /// <summary>
    /// The next point for <paramref name="trial"/> in the model's coordinates, or null when the GP cannot say anything
    /// useful (no finite outputs, or all of them tied) and the caller falls back to quasi-random sampling.
    /// </summary>
    public double[]? Propose(GpSearchSpace space, IReadOnlyList<FrozenTrial> trials, FrozenTrial trial, bool maximize)
    {
        Sync(space, trials);
        var n = _numbers.Count;
        var y = Outputs(maximize);
        if (y is null)
        {
            return null;
        }

        var gp = Model(space, y);
        if (gp is null)
        {
            return null;
        }

        var best = y.Max();
        (gp, var believed) = WithFantasies(gp, space, trials, trial, y);
        best = Math.Max(best, believed);
        var optimizer = new AcquisitionOptimizer(gp, space, best);
        var candidates = Candidates(space, trial.Number);
        var starts = Enumerable.Range(0, n).OrderByDescending(i => y[i]).ThenBy(i => i).Take(3)
            .Select(i => _x.AsSpan(i * space.Count, space.Count).ToArray()).ToList();
        var point = optimizer.Maximize(candidates, candidates.Length / space.Count, starts, _options.LocalSearches);
        _pending[trial.Number] = point;
        return point;
    }

    /// <summary>Appends the complete trials not yet in the data, in trial order; starts over when the space changed.</summary>
    private void Sync(GpSearchSpace space, IReadOnlyList<FrozenTrial> trials)
    {
        var d = space.Count;
        if (!ReferenceEquals(space, _spaceOfData))
        {
            _spaceOfData = space;
            _included.Clear();
            _numbers.Clear();
            _values.Clear();
            _pending.Clear();
            _base = null;
            Hyperparameters = null;
            _fittedAt = 0;
            _sobol = null;
        }

        foreach (var t in trials)
        {
            if (t.State != TrialState.Complete || _included.Contains(t.Number))
            {
                if (t.State is TrialState.Fail or TrialState.Pruned)
                {
                    _pending.Remove(t.Number);
                }

                continue;
            }

            _pending.Remove(t.Number);
            if (t.Values is not { Count: 1 } values || double.IsNaN(values[0]) || !Encode(space, t, out var row))
            {
                continue;
            }

            _included.Add(t.Number);
            if (_x.Length < (_numbers.Count + 1) * d)
            {
                Array.Resize(ref _x, Math.Max(64, 2 * (_numbers.Count + 1)) * d);
            }

            row.CopyTo(_x, _numbers.Count * d);
            _numbers.Add(t.Number);
            _values.Add(values[0]);
        }
    }

    private GpSearchSpace? _spaceOfData;

    private static bool Encode(GpSearchSpace space, FrozenTrial t, out double[] row)
    {
        row = new double[space.Count];
        for (var i = 0; i < space.Count; i++)
        {
            if (!t.InternalParams.TryGetValue(space.Names[i], out var v) || !t.Distributions.TryGetValue(space.Names[i], out var dist)
                || !dist.Equals(space.Distributions[i]))
            {
                return false;
            }

            row[i] = space.Encode(i, v);
        }

        return true;
    }

    /// <summary>
    /// The outputs to model, larger is better, standardised (and warped): infinite values clipped to the finite range;
    /// null when no value is finite or all are tied.
    /// </summary>
    private double[]? Outputs(bool maximize)
    {
        var n = _values.Count;
        if (n == 0)
        {
            return null;
        }

        var y = new double[n];
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        for (var i = 0; i < n; i++)
        {
            y[i] = maximize ? _values[i] : -_values[i];
            if (double.IsFinite(y[i]))
            {
                lo = Math.Min(lo, y[i]);
                hi = Math.Max(hi, y[i]);
            }
        }

        if (!(hi >= lo) || hi - lo <= 1e-12 * Math.Max(1, Math.Max(Math.Abs(lo), Math.Abs(hi))))
        {
            return null;
        }

        for (var i = 0; i < n; i++)
        {
            y[i] = Math.Clamp(y[i], lo, hi);
        }

        Standardize(y);
        if (_options.WarpOutput)
        {
            // Warp the distance from the best value (scaled, not centred, as HEBO scales before its power transform),
            // so that a tail of very bad values is what the transformation pulls in.
            var best = y.Max();
            var z = new double[n];
            for (var i = 0; i < n; i++)
            {
                z[i] = best - y[i];
            }

            // In units of a lower quartile of the distances, so that the good points are not all squeezed into the
            // transformation's linear part near 0 when a few values are huge.
            var positive = z.Where(v => v > 0).Order().ToArray();
            var unit = positive.Length > 0 ? positive[positive.Length / 4] : 1;
            for (var i = 0; i < n; i++)
            {
                z[i] /= unit;
            }

            var lambda = YeoJohnson.FitLambda(z);
            for (var i = 0; i < n; i++)
            {
                y[i] = -YeoJohnson.Transform(z[i], lambda);
            }

            Standardize(y);
        }

        return y;
    }

    private static void Standardize(double[] y)
    {
        var mean = y.Average();
        var ss = 0.0;
        foreach (var v in y)
        {
            ss += (v - mean) * (v - mean);
        }

        var sd = Math.Sqrt(ss / y.Length);
        if (!(sd > 0))
        {
            sd = 1;
        }

        for (var i = 0; i < y.Length; i++)
        {
            y[i] = (y[i] - mean) / sd;
        }
    }

    /// <summary>The GP on the data: refits the hyperparameters (warm-started) when due, else extends the factor by the new points.</summary>
    private GaussianProcess? Model(GpSearchSpace space, double[] y)
    {
        var n = _numbers.Count;
        var d = space.Count;
        var due = Hyperparameters is null || n <= RefitEveryTrialUpTo || n >= _fittedAt * 1.05;
        if (due)
        {
            var likelihood = new MarginalLikelihood(_x, n, y, space.IsCategorical, _options.DeterministicObjective);
            var starts = new List<KernelHyperparameters>();
            if (Hyperparameters is { } previous)
            {
                starts.Add(previous);
            }

            if (Hyperparameters is null || n <= 32)
            {
                starts.Add(likelihood.Default());
            }

            var fitted = likelihood.Fit(starts, Hyperparameters is null ? 100 : 50);
            Fits++;
            Hyperparameters = fitted ?? Hyperparameters ?? likelihood.Default();
            _fittedAt = n;
            _base = GaussianProcess.Create(Hyperparameters, space.IsCategorical, _x, n);
        }
        else if (_base is not null)
        {
            for (var i = _base.Count; i < n && _base is not null; i++)
            {
                if (!_base.TryAdd(_x.AsSpan(i * d, d)))
                {
                    _base = GaussianProcess.Create(Hyperparameters!, space.IsCategorical, _x, n);
                }
            }
        }

        _base ??= GaussianProcess.Create(Hyperparameters!, space.IsCategorical, _x, n);
        _base?.SetOutputs(y);
        return _base;
    }

    /// <summary>
    /// Kriging believer (Ginsbourger, Le Riche and Carraro, "Kriging is well-suited to parallelize optimization", 2010):
    /// conditions on the points of the trials still running, each at the posterior mean, so that concurrent trials are
    /// not proposed the same point. The believed values count as observed: the incumbent is the best of them and the
    /// observations, or improving on the mean where a trial is already running would still look promising.
    /// </summary>
    private (GaussianProcess Model, double BestBelieved) WithFantasies(GaussianProcess gp, GpSearchSpace space, IReadOnlyList<FrozenTrial> trials, FrozenTrial trial, double[] y)
    {
        var running = new SortedDictionary<int, double[]>();
        foreach (var t in trials)
        {
            if (t.State == TrialState.Running && t.Number != trial.Number && !_pending.ContainsKey(t.Number) && Encode(space, t, out var row))
            {
                running[t.Number] = row;
            }
        }

        foreach (var (number, point) in _pending)
        {
            if (number != trial.Number && !_included.Contains(number))
            {
                running[number] = point;
            }
        }

        var believed = double.NegativeInfinity;
        if (running.Count == 0)
        {
            return (gp, believed);
        }

        var fantasy = gp.Clone(running.Count);
        var outputs = new List<double>(y);
        foreach (var point in running.Values)
        {
            var mean = fantasy.Predict(point).Mean;
            if (fantasy.TryAddExact(point))
            {
                outputs.Add(mean);
                fantasy.SetOutputs(outputs.ToArray());
                believed = Math.Max(believed, mean);
            }
        }

        return (fantasy, believed);
    }

    /// <summary>The quasi-random candidates for a trial: the scrambled Sobol points of the space shifted by a random vector of the trial (Cranley–Patterson rotation), on the grid.</summary>
    private double[] Candidates(GpSearchSpace space, int trialNumber)
    {
        var d = space.Count;
        var count = _options.Candidates;
        if (_sobol is null)
        {
            _sobol = new double[count * d];
            if (d <= SobolSequence.MaxDimension)
            {
                var sequence = new SobolSequence(d, true, _seed);
                for (var i = 0; i < count; i++)
                {
                    sequence.Point(i, _sobol.AsSpan(i * d, d));
                }
            }
            else
            {
                var rng = new SeededRandom((ulong)_seed);
                for (var i = 0; i < _sobol.Length; i++)
                {
                    _sobol[i] = rng.NextDouble();
                }
            }
        }

        var shift = SeededRandom.ForTrial(_seed, trialNumber, "gp:candidates");
        var offsets = new double[d];
        for (var j = 0; j < d; j++)
        {
            offsets[j] = shift.NextDouble();
        }

        // Scoring costs O(n²) a candidate; past 100 observations fewer candidates keep a suggestion's cost level
        // (the local searches from the best ones and from the best observed points do the fine work).
        var n = _numbers.Count;
        if (n > ScoringFullUpTo)
        {
            count = Math.Min(count, Math.Max(MinCandidates, (int)(count * Math.Pow((double)ScoringFullUpTo / n, 2))));
        }

        var candidates = new double[count * d];
        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < d; j++)
            {
                var u = _sobol[(i * d) + j] + offsets[j];
                u -= Math.Floor(u);
                candidates[(i * d) + j] = space.Kinds[j] switch
                {
                    GpDimensionKind.Categorical => Math.Min(space.Categories[j] - 1, Math.Floor(u * space.Categories[j])),
                    GpDimensionKind.Discrete => space.Snap(j, u),
                    _ => u,
                };
            }
        }

        return candidates;
    }
}
