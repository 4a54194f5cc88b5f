using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Samplers.Tpe;

/// <summary>
/// The Tree-structured Parzen Estimator (Bergstra et al. 2011; Watanabe 2023): splits the finished trials into
/// the best few and the rest, fits a Parzen estimator to each, l(x) and g(x), draws candidates from l and
/// proposes the one with the largest l(x)/g(x).
/// </summary>
/// <remarks>
/// <para>The first <see cref="TpeSamplerOptions.StartupTrials"/> trials are sampled by
/// <see cref="TpeSamplerOptions.IndependentSampler"/> (random by default). After that, with
/// <see cref="TpeSamplerOptions.Multivariate"/> (the default), the parameters that every finished trial has are
/// sampled jointly, and any other parameter one at a time; with <see cref="TpeSamplerOptions.Group"/>, each group
/// of parameters that always appear together is sampled jointly on the trials that have it.</para>
/// <para>Complete trials rank by value; pruned trials rank after them, the ones that ran more steps first, by their
/// last intermediate value; infeasible trials (a constraint value &gt; 0, see <see cref="Trial.SetConstraint"/>) rank
/// after all of them by total violation, as in Optuna 3.x's constrained TPE, so they are never in the good group while
/// enough feasible trials exist; failed trials are ignored. With <see cref="TpeSamplerOptions.ConstantLiar"/>, running
/// trials count as the worst observations.</para>
/// <para>The good set has <see cref="TpeSamplerOptions.Gamma"/>(n) observations, as in Optuna, unless observations
/// with one value straddle its boundary: the good set is then those strictly better than the tie; when none is,
/// the whole best group if anything is worse, and nothing at all when every value is tied. Optuna takes the
/// oldest of the tied, which on a plateau (most of the space giving one value, e.g. a degenerate model) made the
/// oldest plateau points "good" and l(x), narrow around them, kept proposing the plateau; with nothing good, l(x)
/// is the prior and the proposals spread away from the observations until a better value appears.</para>
/// <para>The sampler keeps, per study, the finished trials' parameters in columns that grow as trials finish, so a
/// suggestion costs O(n) arithmetic on arrays, not a pass over the trials' records. Draws depend only on the seed,
/// the trial's number and the history, so a seeded study with one worker is reproducible.</para>
/// <para>The sampler learns from <see cref="Study.GetTrialsForSampling(FrozenTrial)"/>: when the study's pruner splits
/// trials into groups (<see cref="Pruners.ISamplingPartitioner"/>, Hyperband's brackets), only from the group of the trial
/// it samples for, so TPE + Hyperband is BOHB (Falkner et al. 2018).</para>
/// <para>A study with several objectives gets multi-objective TPE (MOTPE; Ozaki et al., GECCO 2020 and JAIR 2022):
/// the good set is filled by non-domination rank, and the rank that does not fit whole is cut by greedy hypervolume
/// subset selection; each good trial weighs in l(x) by its hypervolume contribution within the good set. Pruned trials
/// rank after every complete one (Optuna 3.1 drops them), infeasible ones last by violation; constant liar is not
/// used. This is Optuna 3.1's <c>TPESampler</c> on a multi-objective study, plus the pruned trials.</para>
/// </remarks>
public sealed class TpeSampler : ISampler
{
    private readonly ConditionalWeakTable<Study, ConcurrentDictionary<int, ObservationHistory>> _histories = [];
    private readonly ISampler _independent;
    private readonly int _startupTrials;
    private readonly int _eiCandidates;
    private readonly bool _multivariate;
    private readonly bool _group;
    private readonly bool _constantLiar;
    private readonly Func<int, int> _gamma;
    private readonly Func<int, double[]> _weights;
    private readonly ParzenSettings _settings;
    private readonly FrozenTrial[] _warmStart;
    private readonly double _warmStartWeight;
    private WarmStartSplit? _warmStartSplit;

    /// <summary>Creates the sampler.</summary>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names every one.</exception>
    public TpeSampler(TpeSamplerOptions? options = null)
    {
        options ??= new TpeSamplerOptions();
        var problems = options.Problems();
        if (problems is not null)
        {
            throw new ArgumentException($"Invalid TpeSamplerOptions: {problems}", nameof(options));
        }

        Seed = options.Seed ?? SeededRandom.NewSeed();
        _independent = options.IndependentSampler ?? new RandomSampler(Seed);
        _startupTrials = options.StartupTrials;
        _eiCandidates = options.EiCandidates;
        _multivariate = options.Multivariate;
        _group = options.Group;
        _constantLiar = options.ConstantLiar;
        _gamma = options.Gamma;
        _weights = options.Weights;
        _settings = new ParzenSettings(
            options.ConsiderPrior, options.PriorWeight, options.ConsiderMagicClip, options.ConsiderEndpoints, options.Multivariate);
        _warmStart = options.WarmStartTrials?
            .Where(t => t.State == TrialState.Complete && t.Values is { Count: 1 } v && double.IsFinite(v[0]) && t.IsFeasible)
            .ToArray() ?? [];
        _warmStartWeight = options.WarmStartWeight;
    }

    /// <summary>The seed in use.</summary>
    public long Seed { get; }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        var (history, view) = HistoryFor(study, trial);
        if (view.Count + WarmStartCount(study) < _startupTrials)
        {
            return _independent.InferRelativeSearchSpace(study, trial);
        }

        return _multivariate ? history.SearchSpace(_group) : TpeSearchSpace.Empty;
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, double> SampleRelative(
        Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(searchSpace);
        if (searchSpace is not TpeSearchSpace space)
        {
            // A space the independent sampler inferred during the startup trials.
            return _independent.SampleRelative(study, trial, searchSpace);
        }

        var result = new Dictionary<string, double>(space.Count, StringComparer.Ordinal);
        if (space.Count == 0)
        {
            return result;
        }

        var (history, view) = HistoryFor(study, trial);
        var rng = SeededRandom.ForTrial(Seed, trial.Number, "tpe");
        foreach (var group in space.Groups)
        {
            var point = SampleJointly(history, view, group, rng, trial.Number, WarmStartFor(study));
            for (var i = 0; i < group.Length; i++)
            {
                result[group[i].Name] = point[i];
            }
        }

        return result;
    }

    /// <inheritdoc/>
    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(distribution);
        var (history, view) = HistoryFor(study, trial);
        if (view.Count + WarmStartCount(study) < _startupTrials || distribution.IsSingle)
        {
            return _independent.SampleIndependent(study, trial, name, distribution);
        }

        var rng = SeededRandom.ForTrial(Seed, trial.Number, "tpe:" + name);
        return SampleJointly(history, view, [new TpeDimension(name, distribution)], rng, trial.Number, WarmStartFor(study))[0];
    }

    /// <inheritdoc/>
    public void BeforeTrial(Study study, FrozenTrial trial) => _independent.BeforeTrial(study, trial);

    /// <inheritdoc/>
    public void AfterTrial(Study study, FrozenTrial trial, TrialState state, IReadOnlyList<double>? values) =>
        _independent.AfterTrial(study, trial, state, values);

    /// <summary>
    /// The history of the trials the sampler learns from for <paramref name="trial"/>: the study's, or only its
    /// partition's when the pruner splits trials (Hyperband's brackets, which makes TPE + Hyperband BOHB).
    /// </summary>
    private (ObservationHistory History, HistoryView View) HistoryFor(Study study, FrozenTrial trial)
    {
        var trials = study.GetTrialsForSampling(trial, out var partition);
        var history = _histories
            .GetValue(study, static _ => new ConcurrentDictionary<int, ObservationHistory>())
            .GetOrAdd(partition ?? -1, static (_, s) => new ObservationHistory(s.Directions), study);
        return (history, history.Refresh(trials));
    }

    /// <summary>One TPE step for a set of parameters: split, fit l and g, draw candidates from l, keep the best l/g.</summary>
    private double[] SampleJointly(ObservationHistory history, HistoryView view, TpeDimension[] dims, SeededRandom rng, int trialNumber, WarmStartSplit? warm)
    {
        var n = view.Count;
        var nBelow = _gamma(n);
        if (nBelow < 0)
        {
            throw new InvalidOperationException($"TpeSamplerOptions.Gamma returned {nBelow} for {n} trials; it must return 0 or more.");
        }

        nBelow = Math.Min(nBelow, n);
        var split = history.GetSplit(view.Version, n, nBelow);
        var d = dims.Length;
        var columns = new double[]?[d];
        for (var p = 0; p < d; p++)
        {
            columns[p] = history.Column(dims[p].Name);
        }

        var below = Gather(dims, columns, split.Below, null, trialNumber);
        var above = Gather(dims, columns, split.Above, _constantLiar && split.BelowWeights is null ? view.Running : null, trialNumber);

        var (belowValues, belowWeights) = WithWarmStart(dims, below.Values, BelowWeights(split, below), warm?.Below);
        var l = new ParzenEstimator(dims, belowValues, belowWeights, _settings);
        var g = new ParzenEstimator(dims, above.Values, Weights(above.Count), _settings);

        var candidates = new double[_eiCandidates * d];
        l.Sample(rng, _eiCandidates, candidates);
        var logL = new double[_eiCandidates];
        var logG = new double[_eiCandidates];
        l.LogPdf(candidates, _eiCandidates, logL);
        g.LogPdf(candidates, _eiCandidates, logG);

        var best = 0;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < _eiCandidates; i++)
        {
            var score = logL[i] - logG[i];
            if (score > bestScore)
            {
                bestScore = score;
                best = i;
            }
        }

        return candidates.AsSpan(best * d, d).ToArray();
    }

    /// <summary>The kernel-space values of the observations that have every parameter, plus running trials (liars) that do.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Observations Gather(TpeDimension[] dims, double[]?[] columns, int[] indices, FrozenTrial[]? running, int trialNumber)
    {
        var d = dims.Length;
        foreach (var column in columns)
        {
            if (column is null)
            {
                indices = [];
                break;
            }
        }

        var kept = new int[indices.Length];
        var keptAt = new int[indices.Length];
        var count = 0;
        for (var at = 0; at < indices.Length; at++)
        {
            var obs = indices[at];
            var ok = true;
            for (var p = 0; p < d && ok; p++)
            {
                ok = !double.IsNaN(columns[p]![obs]);
            }

            if (ok)
            {
                keptAt[count] = at;
                kept[count++] = obs;
            }
        }

        List<FrozenTrial>? liars = null;
        if (running is not null)
        {
            foreach (var t in running)
            {
                if (t.Number == trialNumber)
                {
                    continue;
                }

                var ok = true;
                for (var p = 0; p < d && ok; p++)
                {
                    ok = t.InternalParams.ContainsKey(dims[p].Name);
                }

                if (ok)
                {
                    (liars ??= []).Add(t);
                }
            }
        }

        var total = count + (liars?.Count ?? 0);
        var values = new double[d][];
        for (var p = 0; p < d; p++)
        {
            var dim = dims[p];
            var column = columns[p];
            var v = new double[total];
            for (var i = 0; i < count; i++)
            {
                v[i] = dim.ToKernelSpace(column![kept[i]]);
            }

            if (liars is not null)
            {
                for (var i = 0; i < liars.Count; i++)
                {
                    v[count + i] = dim.ToKernelSpace(liars[i].InternalParams[dim.Name]);
                }
            }

            values[p] = v;
        }

        return new Observations(total, values, keptAt[..count]);
    }

    /// <summary>The weights of the good observations in l(x): multi-objective TPE's hypervolume weights for the ones kept, or the weights function's.</summary>
    private double[] BelowWeights(ObservationHistory.Split split, Observations below)
    {
        if (split.BelowWeights is not { } all)
        {
            return Weights(below.Count);
        }

        var w = new double[below.Count];
        for (var i = 0; i < w.Length; i++)
        {
            w[i] = all[below.Positions[i]];
        }

        return w;
    }

    private double[] Weights(int n)
    {
        var w = _weights(n) ?? throw new InvalidOperationException($"TpeSamplerOptions.Weights returned null for {n} observations.");
        if (w.Length < n)
        {
            throw new InvalidOperationException(
                $"TpeSamplerOptions.Weights returned {w.Length} weights for {n} observations; it must return at least n.");
        }

        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            if (!(w[i] >= 0) || !double.IsFinite(w[i]))
            {
                throw new InvalidOperationException(
                    $"TpeSamplerOptions.Weights returned {w[i]} at index {i} for {n} observations; weights must be non-negative and finite.");
            }

            sum += w[i];
        }

        if (n > 0 && !(sum > 0))
        {
            throw new InvalidOperationException($"TpeSamplerOptions.Weights returned all zeros for {n} observations.");
        }

        return w.Length == n ? w : w[..n];
    }

    /// <summary>How many warm-start trials count towards the startup trials of <paramref name="study"/> (none for several objectives).</summary>
    private int WarmStartCount(Study study) => study.IsMultiObjective ? 0 : _warmStart.Length;

    /// <summary>The warm-start trials split into good and bad by this study's direction, as the study's own trials are.</summary>
    private WarmStartSplit? WarmStartFor(Study study)
    {
        if (_warmStart.Length == 0 || study.IsMultiObjective)
        {
            return null;
        }

        var split = _warmStartSplit;
        if (split is null || split.Direction != study.Direction)
        {
            var sign = study.Direction == StudyDirection.Maximize ? -1 : 1;
            var ranked = _warmStart.OrderBy(t => sign * t.Values![0]).ThenBy(t => t.Number).ToArray();
            var nBelow = Math.Clamp(_gamma(ranked.Length), 0, ranked.Length);
            split = new WarmStartSplit(study.Direction, ranked[..nBelow]);
            _warmStartSplit = split;
        }

        return split;
    }

    /// <summary>
    /// The observations with the warm-start trials that have every parameter of <paramref name="dims"/> (compatible
    /// distribution, value inside this study's range) appended at <see cref="TpeSamplerOptions.WarmStartWeight"/> each.
    /// </summary>
    private (double[][] Values, double[] Weights) WithWarmStart(TpeDimension[] dims, double[][] values, double[] weights, FrozenTrial[]? warm)
    {
        if (warm is null || warm.Length == 0)
        {
            return (values, weights);
        }

        var rows = new List<double[]>(warm.Length);
        foreach (var t in warm)
        {
            var row = new double[dims.Length];
            var ok = true;
            for (var p = 0; p < dims.Length && ok; p++)
            {
                var dim = dims[p];
                var value = double.NaN;
                ok = t.Distributions.TryGetValue(dim.Name, out var source)
                    && Distribution.AreCompatible(source, dim.Distribution)
                    && t.InternalParams.TryGetValue(dim.Name, out var raw)
                    && TryInternal(dim.Distribution, source.ToExternal(raw), out value)
                    && dim.Distribution.Contains(value);
                row[p] = ok ? dim.ToKernelSpace(value) : double.NaN;
            }

            if (ok)
            {
                rows.Add(row);
            }
        }

        if (rows.Count == 0)
        {
            return (values, weights);
        }

        var n = weights.Length;
        var merged = new double[dims.Length][];
        for (var p = 0; p < dims.Length; p++)
        {
            merged[p] = new double[n + rows.Count];
            Array.Copy(values[p], merged[p], n);
            for (var i = 0; i < rows.Count; i++)
            {
                merged[p][n + i] = rows[i][p];
            }
        }

        var w = new double[n + rows.Count];
        Array.Copy(weights, w, n);
        Array.Fill(w, _warmStartWeight, n, rows.Count);
        return (merged, w);
    }

    private static bool TryInternal(Distribution distribution, object? external, out double value)
    {
        try
        {
            value = distribution.ToInternal(external);
            return double.IsFinite(value);
        }
        catch (ArgumentException)
        {
            value = double.NaN;
            return false;
        }
    }

    /// <summary>The warm-start trials ranked for one direction: the good ones, which join l(x).</summary>
    /// <remarks>
    /// The rest do not join g(x): a source study that converged has most of its trials near its optimum, so its "bad"
    /// trials would make g dense exactly where l is, and l/g would send the first trials away from the region they
    /// should start in. g learns from this study's own trials.
    /// </remarks>
    private sealed record WarmStartSplit(StudyDirection Direction, FrozenTrial[] Below);

    /// <summary>Observations in kernel space; Positions are the kept ones' places in the index list they were gathered from.</summary>
    private readonly record struct Observations(int Count, double[][] Values, int[] Positions);
}
