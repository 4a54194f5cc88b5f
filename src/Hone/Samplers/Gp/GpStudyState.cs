using Hone.Distributions;
using Hone.Samplers.Qmc;
using Hone.Trials;

namespace Hone.Samplers.Gp;

/// <summary>
/// What one <see cref="GpSampler"/> knows of one study (or one partition of its trials): the joint space, the complete
/// trials' encoded inputs, objective values and constraint values in the order it saw them, a
/// <see cref="GpOutputModel"/> per objective and per constraint, and the points it proposed to trials still running. Not thread-safe: callers hold <see cref="Gate"/>.
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
    private readonly List<double[]> _values = [];
    private readonly List<double[]?> _constraints = [];
    private readonly List<GpOutputModel> _objectiveModels = [];
    private readonly List<GpOutputModel> _constraintModels = [];
    private readonly SortedDictionary<int, double[]> _pending = [];
    private double[] _x = [];
    private IReadOnlyList<FrozenTrial>? _spaceSource;
    private double[]? _sobol;

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

    /// <summary>The hyperparameters of the first objective's last fit, for tests.</summary>
    public KernelHyperparameters? Hyperparameters => _objectiveModels.Count > 0 ? _objectiveModels[0].Hyperparameters : null;

    /// <summary>How many times the first objective's hyperparameters were fitted, for tests.</summary>
    public int Fits => _objectiveModels.Count > 0 ? _objectiveModels[0].Fits : 0;

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
    /// useful (no finite outputs, or all of an objective's values tied) and the caller falls back to quasi-random
    /// sampling. <paramref name="maximize"/> holds one entry per objective.
    /// </summary>
    public double[]? Propose(GpSearchSpace space, IReadOnlyList<FrozenTrial> trials, FrozenTrial trial, IReadOnlyList<bool> maximize)
    {
        var m = maximize.Count;
        Sync(space, trials, m);
        var n = _numbers.Count;
        var d = space.Count;
        if (n == 0)
        {
            return null;
        }

        // One GP per objective, on its standardised outputs (larger is better).
        var ys = new double[m][];
        var gps = new GaussianProcess[m];
        while (_objectiveModels.Count < m)
        {
            _objectiveModels.Add(new GpOutputModel(_options.DeterministicObjective));
        }

        for (var k = 0; k < m; k++)
        {
            var y = Outputs(k, maximize[k]);
            if (y is null || _objectiveModels[k].Fit(_x, n, y, space.IsCategorical, true) is not { } gp)
            {
                return null;
            }

            ys[k] = y;
            gps[k] = gp;
        }

        // One GP per constraint (≤ 0 satisfied), on the trials that report it; a constraint whose values are all tied is left out.
        var (constraintGps, thresholds) = ConstraintModels(space);
        var feasible = new bool[n];
        var anyFeasible = false;
        for (var i = 0; i < n; i++)
        {
            feasible[i] = _constraints[i] is not { } c || c.All(v => v <= 0);
            anyFeasible |= feasible[i];
        }

        // Kriging believer for the running trials: every model conditions on each at its posterior mean.
        var running = RunningPoints(space, trials, trial);
        var believed = new List<double[]>();
        if (running.Count > 0)
        {
            for (var k = 0; k < m; k++)
            {
                (gps[k], var means) = WithFantasies(gps[k], running);
                for (var r = 0; r < means.Count; r++)
                {
                    if (believed.Count <= r)
                    {
                        believed.Add(new double[m]);
                    }

                    believed[r][k] = means[r];
                }
            }

            for (var c = 0; c < constraintGps.Length; c++)
            {
                constraintGps[c] = WithFantasies(constraintGps[c], running).Model;
            }

            believed.RemoveAll(b => b.Length != m || b.Any(double.IsNaN));
        }

        GpAcquisition acquisition;
        List<int> startRows;
        if (!anyFeasible && constraintGps.Length > 0)
        {
            acquisition = GpAcquisition.Feasibility(constraintGps, thresholds, d);
            startRows = [];
        }
        else if (m == 1)
        {
            var y = ys[0];
            var rows = Enumerable.Range(0, n).Where(i => feasible[i] || !anyFeasible).ToList();
            var best = rows.Max(i => y[i]);
            foreach (var b in believed)
            {
                best = Math.Max(best, b[0]);
            }

            acquisition = GpAcquisition.ExpectedImprovement(gps[0], best, constraintGps, thresholds, d);
            startRows = [.. rows.OrderByDescending(i => y[i]).ThenBy(i => i).Take(3)];
        }
        else
        {
            var reference = new double[m];
            for (var k = 0; k < m; k++)
            {
                var worst = ys[k].Min();
                reference[k] = worst - Math.Max(0.1 * Math.Abs(worst), 0.01);
            }

            var rows = Enumerable.Range(0, n).Where(i => feasible[i]).ToList();
            var points = rows.Select(i => ys.Select(y => y[i]).ToArray()).Concat(believed).ToList();
            var boxes = ImprovementBoxes.Create(points, reference);
            acquisition = GpAcquisition.HypervolumeImprovement(gps, boxes, constraintGps, thresholds, d);
            var onFront = rows.Where(i => !rows.Any(o => Dominates(ys, o, i))).ToList();
            startRows = [.. Enumerable.Range(0, Math.Min(3, onFront.Count)).Select(s => onFront[s * onFront.Count / Math.Min(3, onFront.Count)])];
        }

        var optimizer = new AcquisitionOptimizer(acquisition, space);
        var candidates = Candidates(space, trial.Number);
        var starts = startRows.Select(i => _x.AsSpan(i * d, d).ToArray()).ToList();
        var point = optimizer.Maximize(candidates, candidates.Length / d, starts, _options.LocalSearches);
        _pending[trial.Number] = point;
        return point;
    }

    private static bool Dominates(double[][] ys, int a, int b)
    {
        var strictly = false;
        foreach (var y in ys)
        {
            if (y[a] < y[b])
            {
                return false;
            }

            strictly |= y[a] > y[b];
        }

        return strictly;
    }

    /// <summary>Appends the complete trials not yet in the data, in trial order; starts over when the space or the number of objectives changed.</summary>
    private void Sync(GpSearchSpace space, IReadOnlyList<FrozenTrial> trials, int objectives)
    {
        var d = space.Count;
        if (!ReferenceEquals(space, _spaceOfData) || objectives != _objectivesOfData)
        {
            _spaceOfData = space;
            _objectivesOfData = objectives;
            _included.Clear();
            _numbers.Clear();
            _values.Clear();
            _constraints.Clear();
            _pending.Clear();
            _objectiveModels.Clear();
            _constraintModels.Clear();
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
            if (t.Values is not { } values || values.Count != objectives || values.Any(double.IsNaN) || !Encode(space, t, out var row))
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
            _values.Add([.. values]);
            _constraints.Add(t.Constraints is { Count: > 0 } c ? [.. c] : null);
        }
    }

    private GpSearchSpace? _spaceOfData;
    private int _objectivesOfData;

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
    /// The GPs of the constraints and their thresholds in standardised units: constraint c is modelled on the trials
    /// that report it (the others are left out of its data); one whose values are all tied is not modelled.
    /// </summary>
    private (GaussianProcess[] Models, double[] Thresholds) ConstraintModels(GpSearchSpace space)
    {
        var n = _numbers.Count;
        var d = space.Count;
        var count = 0;
        foreach (var c in _constraints)
        {
            count = Math.Max(count, c?.Length ?? 0);
        }

        while (_constraintModels.Count < count)
        {
            _constraintModels.Add(new GpOutputModel(false));
        }

        var models = new List<GaussianProcess>();
        var thresholds = new List<double>();
        for (var c = 0; c < count; c++)
        {
            var rows = new List<int>(n);
            for (var i = 0; i < n; i++)
            {
                if (_constraints[i] is { } values && values.Length > c && double.IsFinite(values[c]))
                {
                    rows.Add(i);
                }
            }

            if (rows.Count < 2)
            {
                continue;
            }

            var y = rows.Select(i => _constraints[i]![c]).ToArray();
            var mean = y.Average();
            var sd = Math.Sqrt(y.Sum(v => (v - mean) * (v - mean)) / y.Length);
            if (!(sd > 1e-12 * Math.Max(1, Math.Abs(mean))))
            {
                continue;
            }

            for (var i = 0; i < y.Length; i++)
            {
                y[i] = (y[i] - mean) / sd;
            }

            var all = rows.Count == n;
            var x = _x;
            if (!all)
            {
                x = new double[rows.Count * d];
                for (var r = 0; r < rows.Count; r++)
                {
                    _x.AsSpan(rows[r] * d, d).CopyTo(x.AsSpan(r * d, d));
                }
            }

            if (_constraintModels[c].Fit(x, rows.Count, y, space.IsCategorical, all) is { } gp)
            {
                models.Add(gp);
                thresholds.Add(-mean / sd);
            }
        }

        return ([.. models], [.. thresholds]);
    }

    /// <summary>
    /// Objective <paramref name="k"/>'s outputs to model, larger is better, standardised (and warped): infinite values
    /// clipped to the finite range; null when no value is finite or all are tied.
    /// </summary>
    private double[]? Outputs(int k, bool maximize)
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
            y[i] = maximize ? _values[i][k] : -_values[i][k];
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

    /// <summary>The points of the trials still running (other than <paramref name="trial"/>): the ones this sampler proposed and those other processes stored with their parameters.</summary>
    private List<double[]> RunningPoints(GpSearchSpace space, IReadOnlyList<FrozenTrial> trials, FrozenTrial trial)
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

        return [.. running.Values];
    }

    /// <summary>
    /// Kriging believer (Ginsbourger, Le Riche and Carraro, "Kriging is well-suited to parallelize optimization", 2010):
    /// conditions on the points of the trials still running, each at the posterior mean, so that concurrent trials are
    /// not proposed the same point. The believed values count as observed (the caller makes the incumbent, or the front,
    /// include them), or improving on the mean where a trial is already running would still look promising. Returns the
    /// believed mean of each point, NaN for a point the factor could not take.
    /// </summary>
    private static (GaussianProcess Model, List<double> Means) WithFantasies(GaussianProcess gp, List<double[]> running)
    {
        var fantasy = gp.Clone(running.Count);
        var outputs = new List<double>(fantasy.Count + running.Count);
        outputs.AddRange(gp.Outputs);
        var means = new List<double>(running.Count);
        foreach (var point in running)
        {
            var mean = fantasy.Predict(point).Mean;
            if (fantasy.TryAddExact(point))
            {
                outputs.Add(mean);
                fantasy.SetOutputs(outputs.ToArray());
                means.Add(mean);
            }
            else
            {
                means.Add(double.NaN);
            }
        }

        return (fantasy, means);
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
