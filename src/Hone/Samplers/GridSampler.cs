using System.Text.Json;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Samplers;

/// <summary>
/// Tries every point of an explicit grid (the Cartesian product of a list of values per parameter), each
/// exactly once, in a seeded random order; when every point is taken the optimize loop starts no more trials.
/// </summary>
/// <remarks>
/// <para>Each trial records the point it took in the system attribute <c>grid_id</c>. Points are handed out
/// under the study's ask lock, so parallel workers of one process never share a point. Workers in several
/// processes sharing a study may, rarely, take the same point (as in Optuna).</para>
/// <para>Enqueued trials keep their own parameters and take no grid point.</para>
/// <para>The grid may hold at most <see cref="MaxGridSize"/> points: the visiting order is kept in memory.</para>
/// </remarks>
public sealed class GridSampler : ISampler
{
    /// <summary>The system attribute that records a trial's grid point.</summary>
    public const string GridIdKey = "grid_id";

    private readonly string[] _names;
    private readonly object?[][] _values;
    private readonly long _size;
    private readonly long _seed;
    private readonly Lock _gate = new();
    private readonly HashSet<long> _taken = [];
    private readonly Dictionary<long, long> _assignedByTrialId = [];
    private int _scannedTrials;
    private long[]? _order;
    private long _cursor;

    /// <summary>Creates the sampler for a grid.</summary>
    /// <param name="searchSpace">For each parameter name, the values to try (numbers, strings, booleans or null).</param>
    /// <param name="seed">The seed of the visiting order; null picks a random one.</param>
    /// <exception cref="ArgumentException">The grid is empty, a list is empty or repeats a value, a value is of an unsupported type,
    /// or the grid has more than <see cref="MaxGridSize"/> points.</exception>
    public GridSampler(IReadOnlyDictionary<string, IReadOnlyList<object?>> searchSpace, long? seed = null)
    {
        ArgumentNullException.ThrowIfNull(searchSpace);
        if (searchSpace.Count == 0)
        {
            throw new ArgumentException("GridSampler needs at least one parameter in its search space.", nameof(searchSpace));
        }

        _names = [.. searchSpace.Keys.Order(StringComparer.Ordinal)];
        _values = new object?[_names.Length][];
        long size = 1;
        for (var i = 0; i < _names.Length; i++)
        {
            var values = searchSpace[_names[i]];
            var problem = values is null ? "its list of values is null." : CategoricalDistribution.Problem([.. values]);
            if (problem is not null)
            {
                throw new ArgumentException($"GridSampler parameter \"{_names[i]}\": {problem}", nameof(searchSpace));
            }

            _values[i] = [.. values!];
            size = size > MaxGridSize ? size : size * _values[i].Length;
        }

        if (size > MaxGridSize)
        {
            throw new ArgumentException(
                $"GridSampler: the grid ({string.Join(" x ", _names.Select((n, i) => $"{_values[i].Length} values of \"{n}\""))}) has " +
                $"{_values.Aggregate(1.0, (p, v) => p * v.Length).ToString("G4", System.Globalization.CultureInfo.InvariantCulture)} points; at most 10000000 are allowed; " +
                "use fewer values per parameter, or a sampler that does not enumerate (random, tpe, qmc).", nameof(searchSpace));
        }

        _size = size;
        _seed = seed ?? SeededRandom.NewSeed();
    }

    /// <summary>The most points a grid may have (10,000,000): the sampler keeps its visiting order in memory.</summary>
    public const long MaxGridSize = 10_000_000;

    /// <summary>The number of points in the grid.</summary>
    public long GridSize => _size;

    /// <inheritdoc/>
    public void BeforeTrial(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.SystemAttrs.ContainsKey(GridIdKey) || trial.SystemAttrs.ContainsKey(TrialLifecycle.FixedParamsKey))
        {
            return;
        }

        long gridId;
        lock (_gate)
        {
            ScanTrials(study);
            gridId = NextFreePoint();
            if (gridId < 0)
            {
                // Only a manual Ask after the grid is done lands here: repeat a point rather than fail.
                gridId = (long)(SeededRandom.UniformFor(_seed, trial.Number, GridIdKey) * _size);
            }

            _taken.Add(gridId);
            _assignedByTrialId[trial.TrialId] = gridId;
        }

        study.SetTrialSystemAttr(trial, GridIdKey, gridId);
    }

    /// <inheritdoc/>
    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(distribution);
        var index = Array.IndexOf(_names, name);
        if (index < 0)
        {
            throw new ArgumentException(
                $"GridSampler: the objective asked for parameter \"{name}\", which is not in the grid ({string.Join(", ", _names)}). " +
                "Add it to the grid or use PartialFixedSampler for it.", nameof(name));
        }

        var gridId = GridIdOf(trial)
            ?? throw new InvalidOperationException($"GridSampler: trial #{trial.Number} has no grid point; was BeforeTrial called?");
        var value = PointValue(gridId, index);
        double x;
        try
        {
            x = distribution.ToInternal(value);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"GridSampler: grid value {value} of parameter \"{name}\" does not fit {distribution}: {e.Message}", nameof(distribution), e);
        }

        return distribution.Contains(x)
            ? x
            : throw new ArgumentException($"GridSampler: grid value {value} of parameter \"{name}\" lies outside {distribution}.", nameof(distribution));
    }

    /// <inheritdoc/>
    public void AfterTrial(Study study, FrozenTrial trial, TrialState state, IReadOnlyList<double>? values)
    {
        ArgumentNullException.ThrowIfNull(trial);
        lock (_gate)
        {
            _assignedByTrialId.Remove(trial.TrialId);
        }
    }

    /// <inheritdoc/>
    public bool IsExhausted(Study study)
    {
        lock (_gate)
        {
            ScanTrials(study);
            return _taken.Count >= _size;
        }
    }

    /// <summary>The parameter values of grid point <paramref name="gridId"/>, by name.</summary>
    public IReadOnlyDictionary<string, object?> GetPoint(long gridId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(gridId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(gridId, _size);
        var point = new Dictionary<string, object?>(_names.Length);
        for (var i = 0; i < _names.Length; i++)
        {
            point[_names[i]] = PointValue(gridId, i);
        }

        return point;
    }

    private long? GridIdOf(FrozenTrial trial)
    {
        lock (_gate)
        {
            if (_assignedByTrialId.TryGetValue(trial.TrialId, out var id))
            {
                return id;
            }
        }

        return trial.SystemAttrs.TryGetValue(GridIdKey, out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt64() : null;
    }

    private object? PointValue(long gridId, int paramIndex)
    {
        var rest = gridId;
        for (var i = _names.Length - 1; i > paramIndex; i--)
        {
            rest /= _values[i].Length;
        }

        return _values[paramIndex][rest % _values[paramIndex].Length];
    }

    /// <summary>Adds the points of trials this sampler has not seen yet (other processes, an earlier run) to the taken set.</summary>
    private void ScanTrials(Study study)
    {
        var trials = study.GetTrials();
        for (var i = _scannedTrials; i < trials.Count; i++)
        {
            if (trials[i].SystemAttrs.TryGetValue(GridIdKey, out var e) && e.ValueKind == JsonValueKind.Number)
            {
                _taken.Add(e.GetInt64());
            }
        }

        _scannedTrials = trials.Count;
    }

    private long NextFreePoint()
    {
        if (_taken.Count >= _size)
        {
            return -1;
        }

        _order ??= Shuffled();
        while (_cursor < _order.Length && _taken.Contains(_order[_cursor]))
        {
            _cursor++;
        }

        return _cursor < _order.Length ? _order[_cursor] : -1;
    }

    private long[] Shuffled()
    {
        var order = new long[_size];
        for (long i = 0; i < _size; i++)
        {
            order[i] = i;
        }

        var random = new SeededRandom((ulong)_seed);
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = (long)(random.NextDouble() * (i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }
}
