using System.Runtime.CompilerServices;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Samplers.Tpe;

/// <summary>
/// What TPE knows of one study's finished trials, kept in columns that grow as trials finish: per parameter a
/// <see cref="double"/> array of internal values (NaN where a trial lacks the parameter), the ranking key of each
/// observation, the observations' order by that key, and the joint search spaces (intersection and group
/// decomposition). Each call reads only the trials that changed since the previous one.
/// </summary>
/// <remarks>
/// <para>Observations are numbered in the order they were seen (trial-number order when trials finish in order),
/// which is the "chronological" order the weights use. Complete trials rank first, by value; pruned trials after
/// them, deeper ones (more steps) first, then by their last intermediate value (Optuna's rule); infeasible trials (a
/// constraint value &gt; 0) last, by total violation, as in Optuna 3.x's constrained TPE; failed trials are ignored. Observations with equal keys are tied: a split never separates a tie (see <see cref="TieAwareCut"/>).</para>
/// <para>Thread-safe. Arrays handed out are never written below the count they were handed out with, so callers
/// read them without the lock.</para>
/// </remarks>
internal sealed class ObservationHistory
{
    private const int InitialCapacity = 64;

    private readonly Lock _gate = new();
    private readonly bool _maximize;
    private readonly double[] _signs;
    private readonly Dictionary<string, double[]> _columns = new(StringComparer.Ordinal);
    private readonly HashSet<int> _handledAhead = [];

    private IReadOnlyList<FrozenTrial>? _lastList;
    private int _scanFrom;
    private FrozenTrial[] _running = [];

    private int _count;
    private int[] _numbers = new int[InitialCapacity];
    private double[] _stepKeys = new double[InitialCapacity];
    private double[] _values = new double[InitialCapacity];
    private double[]?[] _objectives = [];
    private int[] _order = new int[InitialCapacity];
    private long _version;

    private Dictionary<string, Distribution>? _intersection;
    private List<Dictionary<string, Distribution>> _groups = [];
    private TpeSearchSpace? _intersectionSpace;
    private TpeSearchSpace? _groupSpace;
    private Split? _split;

    /// <summary>A history for a study with one objective.</summary>
    public ObservationHistory(StudyDirection direction)
        : this([direction])
    {
    }

    /// <summary>A history for a study with these objective directions (one for TPE, several for multi-objective TPE).</summary>
    public ObservationHistory(IReadOnlyList<StudyDirection> directions)
    {
        _maximize = directions.Count == 1 && directions[0] == StudyDirection.Maximize;
        _signs = new double[directions.Count];
        for (var k = 0; k < _signs.Length; k++)
        {
            _signs[k] = directions[k] == StudyDirection.Maximize ? -1 : 1;
        }

        if (_signs.Length > 1)
        {
            _objectives = new double[]?[InitialCapacity];
        }
    }

    private bool IsMultiObjective => _signs.Length > 1;

    /// <summary>Reads the trials that changed since the last call and returns a consistent view of the history.</summary>
    public HistoryView Refresh(Study study) => Refresh(study.GetTrials());

    /// <summary>
    /// Reads the trials of <paramref name="trials"/> (ordered by number; the same source on every call, e.g. one
    /// Hyperband bracket) that changed since the last call and returns a consistent view of the history.
    /// </summary>
    public HistoryView Refresh(IReadOnlyList<FrozenTrial> trials)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(trials, _lastList))
            {
                Scan(trials);
                _lastList = trials;
            }

            return new HistoryView(this, _count, _version, _running);
        }
    }

    /// <summary>The joint search space: the intersection of the finished trials' spaces, or its group decomposition.</summary>
    public TpeSearchSpace SearchSpace(bool group)
    {
        lock (_gate)
        {
            if (group)
            {
                return _groupSpace ??= new TpeSearchSpace(_groups);
            }

            return _intersectionSpace ??= _intersection is null ? TpeSearchSpace.Empty : new TpeSearchSpace([_intersection]);
        }
    }

    /// <summary>A parameter's column (valid up to the count of the view it is read with), or null when no finished trial has it.</summary>
    public double[]? Column(string name)
    {
        lock (_gate)
        {
            return _columns.GetValueOrDefault(name);
        }
    }

    /// <summary>
    /// The <paramref name="nBelow"/> best observations among the first <paramref name="count"/> and the rest, each in
    /// chronological order; when observations tied in value straddle the boundary, the boundary moves to the tie
    /// (see <see cref="TieAwareCut"/>).
    /// </summary>
    public Split GetSplit(long version, int count, int nBelow)
    {
        lock (_gate)
        {
            if (_split is { } cached && cached.Version == version && cached.Requested == nBelow && cached.Count == count)
            {
                return cached;
            }

            if (version != _version)
            {
                // A newer history exists; the caller's view is stale but still consistent: rank its prefix.
                return BuildSplit(version, count, nBelow, stale: true);
            }

            _split = BuildSplit(version, count, nBelow, stale: false);
            return _split;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Split BuildSplit(long version, int count, int nBelow, bool stale)
    {
        var ranked = new int[count];
        var m = 0;
        for (var r = 0; r < _count && m < count; r++)
        {
            var obs = _order[r];
            if (!stale || obs < count)
            {
                ranked[m++] = obs;
            }
        }

        double[]? belowWeights = null;
        int[] below;
        if (IsMultiObjective)
        {
            (below, belowWeights) = MultiObjectiveBelow(ranked, nBelow);
        }
        else
        {
            below = ranked[..TieAwareCut(ranked, nBelow)];
        }

        var cut = below.Length;
        var isBelow = new bool[count];
        foreach (var obs in below)
        {
            isBelow[obs] = true;
        }

        if (belowWeights is null)
        {
            Array.Sort(below);
        }
        else
        {
            Array.Sort(below, belowWeights);
        }

        var above = new int[count - cut];
        var a = 0;
        for (var i = 0; i < count; i++)
        {
            if (!isBelow[i])
            {
                above[a++] = i;
            }
        }

        return new Split(version, count, nBelow, below, above, belowWeights);
    }

    /// <summary>
    /// Multi-objective TPE's good set (Ozaki et al. 2020): when the complete feasible observations (ranked first) are
    /// more than <paramref name="nBelow"/>, the best of them by non-domination rank and hypervolume subset selection;
    /// otherwise all of them and the next in the ranking (pruned, then infeasible by violation). Each good complete
    /// feasible observation weighs its hypervolume contribution within the good set; any other good one a tiny weight,
    /// as in Optuna 3.1.
    /// </summary>
    private (int[] Below, double[] Weights) MultiObjectiveBelow(int[] ranked, int nBelow)
    {
        var complete = 0;
        while (complete < ranked.Length && _stepKeys[ranked[complete]] == double.NegativeInfinity)
        {
            complete++;
        }

        int[] below;
        if (nBelow >= complete)
        {
            below = ranked[..nBelow];
        }
        else
        {
            var points = new double[complete][];
            for (var i = 0; i < complete; i++)
            {
                points[i] = _objectives[ranked[i]]!;
            }

            var chosen = MultiObjectiveSelection.SelectGood(points, nBelow);
            below = new int[chosen.Length];
            for (var i = 0; i < chosen.Length; i++)
            {
                below[i] = ranked[chosen[i]];
            }
        }

        var weights = new double[below.Length];
        Array.Fill(weights, MultiObjectiveSelection.Epsilon);
        var good = new List<double[]>(below.Length);
        var goodAt = new List<int>(below.Length);
        for (var i = 0; i < below.Length; i++)
        {
            if (_stepKeys[below[i]] == double.NegativeInfinity)
            {
                good.Add(_objectives[below[i]]!);
                goodAt.Add(i);
            }
        }

        var hvWeights = MultiObjectiveSelection.Weights(good);
        for (var i = 0; i < goodAt.Count; i++)
        {
            weights[goodAt[i]] = hvWeights[i];
        }

        return (below, weights);
    }

    /// <summary>
    /// How many of the <paramref name="ranked"/> observations are good, given that gamma asked for
    /// <paramref name="nBelow"/>: that many unless a tie crosses the boundary. Which of a tied group would be
    /// "good" is then arbitrary (trial order), and an arbitrary good set pulls l(x) onto points no better than the
    /// rest, e.g. onto a plateau where most of the space gives one value. So the boundary moves to the tie: the
    /// good are those strictly better than the tied value; if none is (the best value itself is tied across the
    /// boundary), the whole best group when something is worse, and nothing when every observation is tied, as
    /// there is no signal then and l(x) is the prior alone, which explores.
    /// </summary>
    private int TieAwareCut(int[] ranked, int nBelow)
    {
        if (nBelow <= 0 || nBelow >= ranked.Length || !SameKey(ranked[nBelow - 1], ranked[nBelow]))
        {
            return nBelow;
        }

        var tied = ranked[nBelow];
        var start = nBelow - 1;
        while (start > 0 && SameKey(ranked[start - 1], tied))
        {
            start--;
        }

        if (start > 0)
        {
            return start;
        }

        var end = nBelow + 1;
        while (end < ranked.Length && SameKey(ranked[end], tied))
        {
            end++;
        }

        return end < ranked.Length ? end : 0;
    }

    private bool SameKey(int a, int b) => _stepKeys[a] == _stepKeys[b] && _values[a] == _values[b];

    private void Scan(IReadOnlyList<FrozenTrial> trials)
    {
        // Trials are ordered by number; everything numbered below _scanFrom is already handled.
        var lo = 0;
        var hi = trials.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (trials[mid].Number < _scanFrom)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        var running = new List<FrozenTrial>();
        var contiguous = true;
        for (var i = lo; i < trials.Count; i++)
        {
            var t = trials[i];
            if (_handledAhead.Contains(t.Number))
            {
                if (contiguous)
                {
                    _handledAhead.Remove(t.Number);
                    _scanFrom = t.Number + 1;
                }

                continue;
            }

            if (t.State.IsFinished())
            {
                Ingest(t);
                if (contiguous)
                {
                    _scanFrom = t.Number + 1;
                }
                else
                {
                    _handledAhead.Add(t.Number);
                }

                continue;
            }

            contiguous = false;
            if (t.State == TrialState.Running)
            {
                running.Add(t);
            }
        }

        _running = [.. running];
    }

    private void Ingest(FrozenTrial t)
    {
        double stepKey;
        double value;
        double[]? objectives = null;
        switch (t.State)
        {
            case TrialState.Complete when IsMultiObjective:
                if (t.Values is not { } vector || vector.Count != _signs.Length)
                {
                    return;
                }

                objectives = new double[_signs.Length];
                for (var k = 0; k < objectives.Length; k++)
                {
                    objectives[k] = _signs[k] * vector[k];
                    if (double.IsNaN(objectives[k]))
                    {
                        return;
                    }
                }

                stepKey = double.NegativeInfinity;
                value = 0;
                break;
            case TrialState.Pruned when IsMultiObjective:
                // Ranked after every complete trial, deeper ones first; a vector of intermediate values has no order to
                // rank pruned trials by within a step, so they tie there (older first).
                stepKey = 1;
                foreach (var s in t.IntermediateVectors.Keys)
                {
                    stepKey = Math.Min(stepKey, -s);
                }

                value = 0;
                break;
            case TrialState.Complete when t.Values is { Count: 1 } values:
                stepKey = double.NegativeInfinity;
                value = values[0];
                break;
            case TrialState.Pruned:
                if (t.IntermediateValues.Count == 0)
                {
                    stepKey = 1;
                    value = 0;
                    break;
                }

                var step = int.MinValue;
                foreach (var s in t.IntermediateValues.Keys)
                {
                    step = Math.Max(step, s);
                }

                stepKey = -step;
                value = t.IntermediateValues[step];
                if (double.IsNaN(value))
                {
                    // A NaN ranks last among trials pruned at that step, whatever the direction.
                    value = _maximize ? double.NegativeInfinity : double.PositiveInfinity;
                }

                break;
            default:
                return; // Failed (or valueless) trials teach nothing.
        }

        if (_maximize)
        {
            value = -value;
        }

        if (!t.IsFeasible)
        {
            // Optuna 3.x's rule: infeasible trials rank after every feasible one, complete or pruned, by total violation.
            stepKey = double.PositiveInfinity;
            value = t.ConstraintViolation;
        }

        EnsureCapacity(_count + 1);
        var index = _count;
        _numbers[index] = t.Number;
        _stepKeys[index] = stepKey;
        _values[index] = value;
        if (IsMultiObjective)
        {
            _objectives[index] = objectives;
        }

        foreach (var (name, x) in t.InternalParams)
        {
            if (!_columns.TryGetValue(name, out var column))
            {
                column = new double[_numbers.Length];
                Array.Fill(column, double.NaN);
                _columns[name] = column;
            }

            column[index] = x;
        }

        // Insert into the ranking after every observation with an equal key (stable: older first).
        var lo = 0;
        var hi = _count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            var o = _order[mid];
            if (_stepKeys[o] < stepKey || (_stepKeys[o] == stepKey && _values[o] <= value))
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        Array.Copy(_order, lo, _order, lo + 1, _count - lo);
        _order[lo] = index;
        _count++;
        _version++;

        UpdateSpaces(t.Distributions);
    }

    private void UpdateSpaces(IReadOnlyDictionary<string, Distribution> distributions)
    {
        // Intersection: parameters every finished trial has, with the same distribution.
        if (_intersection is null)
        {
            _intersection = new Dictionary<string, Distribution>(distributions, StringComparer.Ordinal);
            _intersectionSpace = null;
        }
        else
        {
            List<string>? drop = null;
            foreach (var (name, d) in _intersection)
            {
                if (!distributions.TryGetValue(name, out var other) || other != d)
                {
                    (drop ??= []).Add(name);
                }
            }

            if (drop is not null)
            {
                foreach (var name in drop)
                {
                    _intersection.Remove(name);
                }

                _intersectionSpace = null;
            }
        }

        // Group decomposition: split every group into its part inside and outside this trial's space; the
        // trial's parameters in no group form a new one.
        var remaining = new HashSet<string>(distributions.Keys, StringComparer.Ordinal);
        var next = new List<Dictionary<string, Distribution>>(_groups.Count + 1);
        var changed = false;
        foreach (var g in _groups)
        {
            Dictionary<string, Distribution>? inside = null;
            Dictionary<string, Distribution>? outside = null;
            foreach (var (name, d) in g)
            {
                if (remaining.Contains(name))
                {
                    (inside ??= new(StringComparer.Ordinal))[name] = d;
                }
                else
                {
                    (outside ??= new(StringComparer.Ordinal))[name] = d;
                }
            }

            foreach (var name in g.Keys)
            {
                remaining.Remove(name);
            }

            if (inside is null || outside is null)
            {
                next.Add(g);
            }
            else
            {
                next.Add(inside);
                next.Add(outside);
                changed = true;
            }
        }

        if (remaining.Count > 0)
        {
            var fresh = new Dictionary<string, Distribution>(StringComparer.Ordinal);
            foreach (var (name, d) in distributions)
            {
                if (remaining.Contains(name))
                {
                    fresh[name] = d;
                }
            }

            next.Add(fresh);
            changed = true;
        }

        if (changed)
        {
            _groups = next;
            _groupSpace = null;
        }
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _numbers.Length)
        {
            return;
        }

        var capacity = Math.Max(needed, _numbers.Length * 2);
        Array.Resize(ref _numbers, capacity);
        Array.Resize(ref _stepKeys, capacity);
        Array.Resize(ref _values, capacity);
        Array.Resize(ref _order, capacity);
        if (IsMultiObjective)
        {
            Array.Resize(ref _objectives, capacity);
        }
        foreach (var name in _columns.Keys.ToArray())
        {
            // A new array, so views holding the old one keep reading consistent data.
            var old = _columns[name];
            var grown = new double[capacity];
            Array.Copy(old, grown, _count);
            Array.Fill(grown, double.NaN, _count, capacity - _count);
            _columns[name] = grown;
        }
    }

    /// <summary>
    /// The best observations (Below) and the others (Above), each in chronological order; Requested is the size
    /// gamma asked for, which Below differs from when a tie crosses the boundary.
    /// </summary>
    /// <remarks>BelowWeights, for a multi-objective study, are the weights of the Below observations in l(x) (null: the sampler's weights function).</remarks>
    internal sealed record Split(long Version, int Count, int Requested, int[] Below, int[] Above, double[]? BelowWeights);
}

/// <summary>A consistent view of an <see cref="ObservationHistory"/>: its first <see cref="Count"/> observations and the trials running at the time.</summary>
internal readonly record struct HistoryView(ObservationHistory History, int Count, long Version, FrozenTrial[] Running);
