using System.Text.Json;
using Hone.Distributions;
using Hone.Trials;

namespace Hone.Samplers.CmaEs;

/// <summary>
/// What one sampler knows of one study: the joint search space, the CMA-ES run replayed from the study's completed
/// generations, and the candidates it handed to trials it started. Rebuilt from the trials alone, so a fresh sampler
/// (another process, a resumed study) reaches the same state. Not thread-safe: callers hold <see cref="Gate"/>.
/// </summary>
internal sealed class CmaEsStudyState
{
    internal const string GenerationKey = "cma:generation";
    internal const string IndexKey = "cma:index";
    internal const string SpaceKey = "cma:space";

    private readonly long _seed;
    private readonly double _sigma0;
    private readonly int? _popSize;
    private readonly bool _separable;
    private readonly bool _margin;
    private readonly CmaEsRestart _restart;
    private readonly Dictionary<int, Assignment> _assigned = [];
    private readonly bool _warmStart;
    private readonly bool _lrAdapt;
    private readonly double _warmStartGamma;
    private readonly IReadOnlyList<FrozenTrial>? _sourceTrials;
    private readonly HashSet<int> _folded = [];
    private readonly List<FrozenTrial> _untagged = [];
    private readonly Dictionary<long, int> _firstTagged = [];
    private readonly Dictionary<(long Hash, int Generation), GenerationRecord> _generations = [];
    private IReadOnlyList<FrozenTrial>? _seen;
    private SortedDictionary<string, Distribution>? _dims;
    private bool _dimsChanged;
    private int _settled;
    private int _lambda0;
    private int _largeRestarts;
    private long _budgetLarge;
    private long _budgetSmall;
    private bool _runIsSmall;
    private int _nextIndex;

    public CmaEsStudyState(long seed, CmaEsSamplerOptions options)
    {
        _seed = seed;
        _sigma0 = options.Sigma0;
        _popSize = options.PopulationSize;
        _separable = options.Separable;
        _margin = options.WithMargin;
        _restart = options.Restart;
        _warmStart = options.WarmStart;
        _lrAdapt = options.LearningRateAdaptation;
        _warmStartGamma = options.WarmStartGamma;
        _sourceTrials = options.SourceTrials;
    }

    public Lock Gate { get; } = new();

    /// <summary>The joint space, or null while it has fewer than two numeric parameters.</summary>
    public CmaEsSearchSpace? Space { get; private set; }

    /// <summary>The current run.</summary>
    public CmaEsRun? Run { get; private set; }

    /// <summary>The current generation, counted over the whole study (restarts included).</summary>
    public int Generation { get; private set; }

    /// <summary>How many restarts the replay went through.</summary>
    public int Restarts { get; private set; }

    /// <summary>The candidate this sampler gave the trial, if it did.</summary>
    public bool TryGetAssignment(int trialNumber, out Assignment assignment) => _assigned.TryGetValue(trialNumber, out assignment!);

    /// <summary>
    /// Brings the space and the run up to date with <paramref name="trials"/> (the study's, ordered by number). Finished
    /// trials never change, so each is folded in once; a refresh costs O(trials started or finished since the last one).
    /// </summary>
    public void Refresh(IReadOnlyList<FrozenTrial> trials, bool maximize)
    {
        if (ReferenceEquals(trials, _seen))
        {
            return;
        }

        if (trials.Count < _settled)
        {
            // Another set of trials (a different partition): start over.
            _settled = 0;
            _folded.Clear();
            _generations.Clear();
            _untagged.Clear();
            _firstTagged.Clear();
            _dims = null;
            _dimsChanged = true;
        }

        _seen = trials;
        var settling = true;
        for (var p = _settled; p < trials.Count; p++)
        {
            var t = trials[p];
            var finished = t.State is TrialState.Complete or TrialState.Fail or TrialState.Pruned;
            if (finished && !_folded.Contains(t.Number))
            {
                Fold(t);
                _folded.Add(t.Number);

                // Only now: a list taken before the trial ended may not show the candidate it took.
                _assigned.Remove(t.Number);
            }

            if (finished && settling)
            {
                _settled = p + 1;
                _folded.Remove(t.Number);
            }
            else
            {
                settling = false;
            }
        }

        if (_dimsChanged)
        {
            _dimsChanged = false;
            var space = _dims is null ? null : new CmaEsSearchSpace(_dims);
            if (space is null || space.Count < 2)
            {
                Space = null;
                Run = null;
                return;
            }

            if (Space is null || Space.Hash != space.Hash)
            {
                Reset(space, maximize);
            }
        }

        if (Space is null)
        {
            return;
        }

        while (_generations.TryGetValue((Space.Hash, Generation), out var done) && done.Complete.Count >= Run!.Lambda)
        {
            TellGeneration(done.Complete, maximize);
        }

        var maxIndex = _generations.TryGetValue((Space.Hash, Generation), out var current) ? current.MaxIndex : -1;
        for (var p = _settled; p < trials.Count; p++)
        {
            if (Tag(trials[p], out var hash, out var g, out var k) && hash == Space.Hash && g == Generation)
            {
                maxIndex = Math.Max(maxIndex, k);
            }
        }

        foreach (var a in _assigned.Values)
        {
            if (a.Generation == Generation && a.Hash == Space.Hash)
            {
                maxIndex = Math.Max(maxIndex, a.Index);
            }
        }

        _nextIndex = maxIndex + 1;
    }

    private void Reset(CmaEsSearchSpace space, bool maximize)
    {
        Space = space;
        Generation = 0;
        Restarts = 0;
        _largeRestarts = 0;
        _budgetLarge = _budgetSmall = 0;
        _runIsSmall = false;
        _lambda0 = _popSize ?? (4 + (int)Math.Floor(3 * Math.Log(space.Count)));
        var mean = new double[space.Count];
        Array.Fill(mean, 0.5);
        var sigma = _sigma0;
        double[,]? cov = null;
        if (WarmStartEstimate(space, maximize) is { } ws)
        {
            (mean, sigma, cov) = ws;
            for (var i = 0; i < mean.Length; i++)
            {
                mean[i] = Math.Clamp(mean[i], 0, 1);
            }
        }

        Run = new CmaEsRun(space.Count, _lambda0, mean, sigma, _separable, cov, _lrAdapt);
    }

    /// <summary>The fewest earlier trials of the study that <see cref="CmaEsSamplerOptions.WarmStart"/> estimates a start from; with fewer the run starts cold.</summary>
    internal const int MinimumWarmStartTrials = 10;

    /// <summary>
    /// WS-CMA-ES's initial distribution (<see cref="CmaEsWarmStart"/>) from the source trials if any of them fit the
    /// space, else, with warm start on, from the complete trials of this study the sampler did not propose (added,
    /// enqueued, sampled by another sampler or before the joint space was known) that have every parameter of
    /// <paramref name="space"/> and started before the space's first proposed trial; null for neither.
    /// </summary>
    private (double[] Mean, double Sigma, double[,] Cov)? WarmStartEstimate(CmaEsSearchSpace space, bool maximize)
    {
        var points = new List<(double[] X, double Value, int Order)>();
        if (_sourceTrials is not null)
        {
            for (var k = 0; k < _sourceTrials.Count; k++)
            {
                if (Point(_sourceTrials[k], space, maximize, inRangeOnly: true) is { } p)
                {
                    points.Add((p.X, p.Value, k));
                }
            }
        }

        if (points.Count == 0 && _warmStart)
        {
            var before = _firstTagged.TryGetValue(space.Hash, out var first) ? first : int.MaxValue;
            foreach (var t in _untagged)
            {
                if (t.Number < before && Point(t, space, maximize, inRangeOnly: false) is { } p)
                {
                    points.Add((p.X, p.Value, t.Number));
                }
            }

            // A handful of earlier trials (one quasi-random trial before the space was known) say where to look no better
            // than the box's centre, and would give a tiny initial step around a random point.
            if (points.Count < MinimumWarmStartTrials)
            {
                points.Clear();
            }
        }

        return CmaEsWarmStart.Estimate(points, _warmStartGamma);
    }

    /// <summary>
    /// A complete single-objective trial as a point of the unit box and its value to minimize, or null when it lacks a
    /// parameter of the space (or has it with another distribution, unless <paramref name="inRangeOnly"/>: then any
    /// numeric distribution whose value lies inside the space's range will do, as for a related study's trials).
    /// </summary>
    private static (double[] X, double Value)? Point(FrozenTrial t, CmaEsSearchSpace space, bool maximize, bool inRangeOnly)
    {
        if (t.State != TrialState.Complete || t.Values is not { Count: 1 } values || double.IsNaN(values[0]))
        {
            return null;
        }

        var x = new double[space.Count];
        for (var i = 0; i < space.Count; i++)
        {
            if (!t.InternalParams.TryGetValue(space.Names[i], out var v) || !t.Distributions.TryGetValue(space.Names[i], out var d) ||
                (inRangeOnly ? d is CategoricalDistribution || !space.Distributions[i].Contains(v) : !d.Equals(space.Distributions[i])))
            {
                return null;
            }

            x[i] = Math.Clamp(space.ToUnit(i, v), 0, 1);
        }

        return (x, maximize ? -values[0] : values[0]);
    }

    /// <summary>Adds a finished trial to the joint space (if complete) and to its generation's record (if the sampler tagged it).</summary>
    private void Fold(FrozenTrial t)
    {
        if (t.State == TrialState.Complete)
        {
            FoldSpace(t);
        }

        if (!Tag(t, out var hash, out var g, out var k))
        {
            if (_warmStart && t.State == TrialState.Complete && t.Values is { Count: 1 })
            {
                _untagged.Add(t);
            }

            return;
        }

        _firstTagged[hash] = Math.Min(_firstTagged.GetValueOrDefault(hash, int.MaxValue), t.Number);

        if (!_generations.TryGetValue((hash, g), out var record))
        {
            record = new GenerationRecord();
            _generations[(hash, g)] = record;
        }

        record.MaxIndex = Math.Max(record.MaxIndex, k);
        if (t.State == TrialState.Complete && t.Values is { Count: 1 })
        {
            record.Complete.Add((t, k));
        }
    }

    /// <summary>Intersects the joint space with a complete trial's numeric, non-constant parameters (categoricals excluded).</summary>
    private void FoldSpace(FrozenTrial t)
    {
        if (_dims is null)
        {
            _dims = new SortedDictionary<string, Distribution>(StringComparer.Ordinal);
            foreach (var (name, d) in t.Distributions)
            {
                if (d is not CategoricalDistribution && !d.IsSingle)
                {
                    _dims[name] = d;
                }
            }

            _dimsChanged = true;
            return;
        }

        List<string>? drop = null;
        foreach (var (name, d) in _dims)
        {
            if (!t.Distributions.TryGetValue(name, out var other) || !other.Equals(d))
            {
                (drop ??= []).Add(name);
            }
        }

        if (drop is not null)
        {
            foreach (var name in drop)
            {
                _dims.Remove(name);
            }

            _dimsChanged = true;
        }
    }

    /// <summary>Takes the next candidate of the current generation for a trial.</summary>
    public Assignment Assign(int trialNumber)
    {
        var k = _nextIndex++;
        var x = Candidate(Generation, k, out _);
        var a = new Assignment(Space!, Space!.Hash, Generation, k, x);
        _assigned[trialNumber] = a;
        return a;
    }

    /// <summary>
    /// Candidate <paramref name="k"/> of generation <paramref name="g"/> of the current run: m + σ·a∘(B D z), z drawn from
    /// the seed, g and k alone. Outside the box it is redrawn (up to 10 times), then clipped to the box.
    /// <paramref name="step"/> is the step (x − m)/(σ a) that the update learns from.
    /// </summary>
    private double[] Candidate(int g, int k, out double[] step)
    {
        var run = Run!;
        var n = Space!.Count;
        var rng = SeededRandom.ForTrial(_seed, k, "cma:" + g);
        var scale = run.MarginFactors;
        Span<double> z = stackalloc double[n];
        var y = new double[n];
        var x = new double[n];
        var mean = run.Mean;
        for (var attempt = 0; ; attempt++)
        {
            for (var i = 0; i < n; i++)
            {
                z[i] = rng.NextGaussian();
            }

            run.Transform(z, y);
            var inside = true;
            for (var i = 0; i < n; i++)
            {
                x[i] = mean[i] + (run.Sigma * scale[i] * y[i]);
                inside &= x[i] >= 0 && x[i] <= 1;
            }

            if (inside || attempt == 9)
            {
                break;
            }
        }

        step = y;
        for (var i = 0; i < n; i++)
        {
            var clipped = Math.Clamp(x[i], 0, 1);
            if (clipped != x[i])
            {
                x[i] = clipped;
                y[i] = (clipped - mean[i]) / (run.Sigma * scale[i]);
            }
        }

        return x;
    }

    private void TellGeneration(List<(FrozenTrial Trial, int Index)> members, bool maximize)
    {
        var run = Run!;
        members.Sort(static (a, b) =>
        {
            var c = Nullable.Compare(a.Trial.DatetimeComplete, b.Trial.DatetimeComplete);
            return c != 0 ? c : a.Trial.Number.CompareTo(b.Trial.Number);
        });
        var lambda = run.Lambda;
        var steps = new double[lambda][];
        var fitness = new double[lambda];
        var order = new int[lambda];
        var n = Space!.Count;
        var scale = run.MarginFactors;
        for (var j = 0; j < lambda; j++)
        {
            var (trial, k) = members[j];
            var x = Candidate(Generation, k, out var y);
            if (!Matches(trial, x))
            {
                // The trial's values are not the candidate's (a fixed or enqueued parameter): learn from what it ran.
                for (var i = 0; i < n; i++)
                {
                    var u = trial.InternalParams.TryGetValue(Space.Names[i], out var v) ? Space.ToUnit(i, v) : x[i];
                    y[i] = (u - run.Mean[i]) / (run.Sigma * scale[i]);
                }
            }

            steps[j] = y;
            var value = trial.Values![0];
            fitness[j] = double.IsNaN(value) ? double.PositiveInfinity : maximize ? -value : value;
            order[j] = j;
        }

        Array.Sort(fitness, order);
        var sorted = new double[lambda][];
        for (var j = 0; j < lambda; j++)
        {
            sorted[j] = steps[order[j]];
        }

        run.Tell(sorted, fitness[0], fitness[lambda - 1]);
        if (_margin)
        {
            run.ApplyMargin(Space.CellWidths, 1.0 / (n * lambda));
        }

        Generation++;
        if (_runIsSmall)
        {
            _budgetSmall += lambda;
        }
        else
        {
            _budgetLarge += lambda;
        }

        if (_restart != CmaEsRestart.None && run.ShouldStop())
        {
            StartNewRun();
        }
    }

    /// <summary>IPOP: double λ, random mean. BIPOP: the same, or a small-population run while the small regime has used fewer evaluations.</summary>
    private void StartNewRun()
    {
        Restarts++;
        var n = Space!.Count;
        var rng = SeededRandom.ForTrial(_seed, Restarts, "cma:restart");
        var mean = new double[n];
        for (var i = 0; i < n; i++)
        {
            mean[i] = rng.NextDouble();
        }

        var lambda = _lambda0;
        var sigma = _sigma0;
        if (_restart == CmaEsRestart.Bipop && _budgetSmall < _budgetLarge)
        {
            var u = rng.NextDouble();
            var largeLambda = _lambda0 * Math.Pow(2, _largeRestarts);
            lambda = Math.Max(_lambda0, (int)Math.Floor(_lambda0 * Math.Pow(0.5 * largeLambda / _lambda0, u * u)));
            sigma = _sigma0 * Math.Pow(10, -2 * u);
            _runIsSmall = true;
        }
        else
        {
            _largeRestarts++;
            lambda = _lambda0 << _largeRestarts;
            _runIsSmall = false;
        }

        Run = new CmaEsRun(n, lambda, mean, sigma, _separable, lrAdapt: _lrAdapt);
    }

    private bool Matches(FrozenTrial trial, double[] x)
    {
        for (var i = 0; i < x.Length; i++)
        {
            if (!trial.InternalParams.TryGetValue(Space!.Names[i], out var v) || v != Space.FromUnit(i, x[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Tag(FrozenTrial t, out long hash, out int generation, out int index)
    {
        hash = 0;
        generation = index = 0;
        var attrs = t.SystemAttrs;
        if (attrs.Count == 0 || !attrs.TryGetValue(GenerationKey, out var g) || !attrs.TryGetValue(IndexKey, out var k) ||
            !attrs.TryGetValue(SpaceKey, out var s))
        {
            return false;
        }

        // Another sampler's (or a hand-written) attribute of the same name that is not a number is not a tag.
        return g.ValueKind == JsonValueKind.Number && k.ValueKind == JsonValueKind.Number && s.ValueKind == JsonValueKind.Number &&
               g.TryGetInt32(out generation) && k.TryGetInt32(out index) && s.TryGetInt64(out hash) && generation >= 0 && index >= 0;
    }

    /// <summary>The finished trials of one generation: the complete ones with their candidate index, and the largest index taken.</summary>
    private sealed class GenerationRecord
    {
        public List<(FrozenTrial Trial, int Index)> Complete { get; } = [];

        public int MaxIndex { get; set; } = -1;
    }

    /// <summary>A candidate given to a trial: its space, generation, index and point of the unit box.</summary>
    internal sealed record Assignment(CmaEsSearchSpace Space, long Hash, int Generation, int Index, double[] Point);
}
