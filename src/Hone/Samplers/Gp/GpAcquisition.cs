namespace Hone.Samplers.Gp;

/// <summary>
/// What <see cref="AcquisitionOptimizer"/> maximises, in log space: the objective's term — log expected improvement
/// over the incumbent for one objective (<see cref="LogExpectedImprovement"/>), log expected hypervolume improvement over
/// the feasible front for several (<see cref="LogExpectedHypervolumeImprovement"/>), or nothing while no trial is
/// feasible — plus, for each constraint, the log probability that it is satisfied
/// (<see cref="LogProbabilityOfFeasibility"/>), each output modelled by its own GP. Not thread-safe.
/// </summary>
internal sealed class GpAcquisition
{
    private readonly GaussianProcess[] _objectives;
    private readonly double _best;
    private readonly LogExpectedHypervolumeImprovement? _ehvi;
    private readonly GaussianProcess[] _constraints;
    private readonly double[] _thresholds;
    private readonly double[] _means;
    private readonly double[] _variances;
    private readonly double[] _meanCoefficients;
    private readonly double[] _varianceCoefficients;
    private readonly double[] _meanGradient;
    private readonly double[] _varianceGradient;
    private readonly double[][] _objectiveMeanGradients;
    private readonly double[][] _objectiveVarianceGradients;
    private IAcquisitionFunction? _function;

    private GpAcquisition(GaussianProcess[] objectives, double best, LogExpectedHypervolumeImprovement? ehvi, GaussianProcess[] constraints, double[] thresholds, int d)
    {
        _objectives = objectives;
        _best = best;
        _ehvi = ehvi;
        _constraints = constraints;
        _thresholds = thresholds;
        _means = new double[objectives.Length];
        _variances = new double[objectives.Length];
        _meanCoefficients = new double[objectives.Length];
        _varianceCoefficients = new double[objectives.Length];
        _meanGradient = new double[d];
        _varianceGradient = new double[d];
        _objectiveMeanGradients = [.. objectives.Select(_ => new double[d])];
        _objectiveVarianceGradients = [.. objectives.Select(_ => new double[d])];
    }

    /// <summary>LogEI of one objective over the incumbent <paramref name="best"/>, times the constraints' probabilities.</summary>
    public static GpAcquisition ExpectedImprovement(GaussianProcess objective, double best, GaussianProcess[] constraints, double[] thresholds, int d) =>
        new([objective], best, null, constraints, thresholds, d);

    /// <summary>Log EHVI of several objectives over the <paramref name="boxes"/> of the feasible front, times the constraints' probabilities.</summary>
    public static GpAcquisition HypervolumeImprovement(GaussianProcess[] objectives, ImprovementBoxes boxes, GaussianProcess[] constraints, double[] thresholds, int d) =>
        new(objectives, 0, new LogExpectedHypervolumeImprovement(boxes), constraints, thresholds, d);

    /// <summary><paramref name="function"/> of one model's posterior (e.g. PB2's upper confidence bound), with no constraints.</summary>
    public static GpAcquisition Of(GaussianProcess model, IAcquisitionFunction function, int d) =>
        new([model], 0, null, [], [], d) { _function = function };

    /// <summary>The log probability that every constraint is satisfied, alone: for a study without a feasible trial yet.</summary>
    public static GpAcquisition Feasibility(GaussianProcess[] constraints, double[] thresholds, int d) =>
        new([], 0, null, constraints, thresholds, d);

    /// <summary>The acquisition at a point of the model's coordinates.</summary>
    public double Score(ReadOnlySpan<double> x)
    {
        for (var k = 0; k < _objectives.Length; k++)
        {
            (_means[k], _variances[k]) = _objectives[k].Predict(x);
        }

        var value = ObjectiveTerm(false);
        for (var c = 0; c < _constraints.Length; c++)
        {
            var (mean, variance) = _constraints[c].Predict(x);
            value += LogProbabilityOfFeasibility.WithGradient(mean, variance, _thresholds[c]).Value;
        }

        return value;
    }

    /// <summary>The acquisition at <paramref name="count"/> points (rows of <paramref name="xs"/>).</summary>
    public void ScoreMany(double[] xs, int count, Span<double> scores, int d)
    {
        for (var i = 0; i < count; i++)
        {
            scores[i] = Score(xs.AsSpan(i * d, d));
        }
    }

    /// <summary>The acquisition at <paramref name="x"/> and its gradient along the coordinates where <paramref name="along"/> is true.</summary>
    public double ScoreWithGradient(ReadOnlySpan<double> x, bool[] along, Span<double> gradient)
    {
        gradient.Clear();
        var d = gradient.Length;
        var meanGradients = _objectiveMeanGradients;
        var varianceGradients = _objectiveVarianceGradients;
        for (var k = 0; k < _objectives.Length; k++)
        {
            (_means[k], _variances[k]) = _objectives[k].PredictWithGradient(x, along, meanGradients[k], varianceGradients[k]);
        }

        var value = ObjectiveTerm(true);
        for (var k = 0; k < _objectives.Length; k++)
        {
            for (var i = 0; i < d; i++)
            {
                gradient[i] += (_meanCoefficients[k] * meanGradients[k][i]) + (_varianceCoefficients[k] * varianceGradients[k][i]);
            }
        }

        for (var c = 0; c < _constraints.Length; c++)
        {
            var (mean, variance) = _constraints[c].PredictWithGradient(x, along, _meanGradient, _varianceGradient);
            var (v, a, b) = LogProbabilityOfFeasibility.WithGradient(mean, variance, _thresholds[c]);
            value += v;
            for (var i = 0; i < d; i++)
            {
                gradient[i] += (a * _meanGradient[i]) + (b * _varianceGradient[i]);
            }
        }

        return value;
    }

    private double ObjectiveTerm(bool withGradient)
    {
        if (_objectives.Length == 0)
        {
            return 0;
        }

        if (_function is not null)
        {
            var (value, meanCoefficient, varianceCoefficient) = _function.WithGradient(_means[0], _variances[0]);
            _meanCoefficients[0] = meanCoefficient;
            _varianceCoefficients[0] = varianceCoefficient;
            return value;
        }

        if (_ehvi is null)
        {
            var (v, a, b) = LogExpectedImprovement.WithGradient(_means[0], _variances[0], _best);
            _meanCoefficients[0] = a;
            _varianceCoefficients[0] = b;
            return v;
        }

        return withGradient
            ? _ehvi.Value(_means, _variances, _meanCoefficients, _varianceCoefficients)
            : _ehvi.Value(_means, _variances, [], []);
    }
}
