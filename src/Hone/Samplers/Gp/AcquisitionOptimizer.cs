namespace Hone.Samplers.Gp;

/// <summary>
/// Maximises a <see cref="GpAcquisition"/> (log expected improvement, log expected hypervolume improvement, log
/// probability of feasibility, or any <see cref="IAcquisitionFunction"/> of one model such as PB2's UCB) over the search
/// space, or over the coordinates not held fixed: scores quasi-random candidates, then refines the
/// best few and the given starts (the best observed points) by alternating L-BFGS-B on the continuous (and relaxed
/// many-valued discrete) coordinates with a local search on the discrete ones (neighbouring grid values, every other
/// choice of a categorical), as Optuna's GPSampler does.
/// </summary>
internal sealed class AcquisitionOptimizer
{
    private const int Rounds = 4;
    private const int LbfgsIterations = 30;

    private readonly GpAcquisition _acquisition;
    private readonly GpSearchSpace _space;
    private readonly bool[] _fixed;
    private readonly bool[] _along;
    private readonly int _d;
    private readonly int[] _relaxed;
    private readonly double[] _gradient;

    /// <param name="acquisition">The function to maximise, on the models (with any fantasies for running trials).</param>
    /// <param name="space">The space the model's coordinates belong to.</param>
    /// <param name="fixedCoordinates">The coordinates that keep the value they have in the candidates and starts (a context, such as PB2's time); null moves all.</param>
    public AcquisitionOptimizer(GpAcquisition acquisition, GpSearchSpace space, bool[]? fixedCoordinates = null)
    {
        _acquisition = acquisition;
        _space = space;
        _d = space.Count;
        _fixed = fixedCoordinates ?? new bool[_d];
        _along = [.. Enumerable.Range(0, _d).Select(i => space.IsRelaxed[i] && !_fixed[i])];
        _relaxed = [.. Enumerable.Range(0, _d).Where(i => _along[i])];
        _gradient = new double[_d];
    }

    /// <summary>How many acquisition evaluations were made, for tests.</summary>
    public int Evaluations { get; private set; }

    /// <summary>The acquisition at a point of the model's coordinates.</summary>
    public double Score(ReadOnlySpan<double> x)
    {
        Evaluations++;
        return _acquisition.Score(x);
    }

    /// <summary>
    /// The best point found: <paramref name="candidates"/> (<paramref name="count"/> rows, on the grid) are scored, the
    /// <paramref name="refine"/> best of them and every one of <paramref name="starts"/> are refined.
    /// </summary>
    public double[] Maximize(double[] candidates, int count, IReadOnlyList<double[]> starts, int refine)
    {
        var scores = new double[count];
        _acquisition.ScoreMany(candidates, count, scores, _d);
        Evaluations += count;

        var order = Enumerable.Range(0, count).OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();
        var bestPoint = candidates.AsSpan(order[0] * _d, _d).ToArray();
        var bestValue = scores[order[0]];
        var initial = new List<double[]>();
        for (var r = 0; r < Math.Min(refine, count); r++)
        {
            initial.Add(candidates.AsSpan(order[r] * _d, _d).ToArray());
        }

        initial.AddRange(starts.Select(s => (double[])s.Clone()));
        foreach (var start in initial)
        {
            var (point, value) = Refine(start);
            if (value > bestValue)
            {
                bestValue = value;
                bestPoint = point;
            }
        }

        return bestPoint;
    }

    /// <summary>Local ascent from <paramref name="x"/> (changed in place); returns the point and its acquisition value.</summary>
    private (double[] Point, double Value) Refine(double[] x)
    {
        var value = Score(x);
        for (var round = 0; round < Rounds; round++)
        {
            var before = value;
            if (_relaxed.Length > 0)
            {
                value = Math.Max(value, Gradient(x, value));
            }

            value = Math.Max(value, Discrete(x, value));
            if (!(value > before + 1e-9))
            {
                break;
            }
        }

        return (x, value);
    }

    /// <summary>L-BFGS-B along the relaxed coordinates; rounds the discrete ones afterwards; keeps the result only if it is better.</summary>
    private double Gradient(double[] x, double value)
    {
        var m = _relaxed.Length;
        var lower = new double[m];
        var upper = new double[m];
        var start = new double[m];
        Array.Fill(upper, 1.0);
        for (var k = 0; k < m; k++)
        {
            start[k] = x[_relaxed[k]];
        }

        var trial = (double[])x.Clone();
        double Objective(double[] z, double[] g)
        {
            for (var k = 0; k < m; k++)
            {
                trial[_relaxed[k]] = z[k];
            }

            Evaluations++;
            var v = _acquisition.ScoreWithGradient(trial, _along, _gradient);
            for (var k = 0; k < m; k++)
            {
                g[k] = -_gradient[_relaxed[k]];
            }

            return -v;
        }

        var (point, _) = BoundedMinimizer.Minimize(Objective, lower, upper, start, LbfgsIterations, 1e-6);
        for (var k = 0; k < m; k++)
        {
            trial[_relaxed[k]] = _space.Snap(_relaxed[k], point[k]);
        }

        var snapped = Score(trial);
        if (snapped > value)
        {
            Array.Copy(trial, x, _d);
            return snapped;
        }

        return value;
    }

    /// <summary>One pass of coordinate-wise search over the discrete coordinates; moves to each improvement.</summary>
    private double Discrete(double[] x, double value)
    {
        for (var i = 0; i < _d; i++)
        {
            var kind = _space.Kinds[i];
            if (kind == GpDimensionKind.Continuous || _fixed[i])
            {
                continue;
            }

            var current = x[i];
            var bestMove = current;
            if (kind == GpDimensionKind.Categorical)
            {
                for (var c = 0; c < _space.Categories[i]; c++)
                {
                    if (c != current)
                    {
                        x[i] = c;
                        var v = Score(x);
                        if (v > value)
                        {
                            value = v;
                            bestMove = c;
                        }
                    }
                }
            }
            else
            {
                foreach (var direction in (ReadOnlySpan<int>)[-1, 1])
                {
                    if (_space.Neighbour(i, current, direction) is { } next)
                    {
                        x[i] = next;
                        var v = Score(x);
                        if (v > value)
                        {
                            value = v;
                            bestMove = next;
                        }
                    }
                }
            }

            x[i] = bestMove;
        }

        return value;
    }
}
