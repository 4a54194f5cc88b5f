using System.Collections.Concurrent;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Samplers.CostAware;

/// <summary>
/// Makes another sampler frugal with compute where one categorical parameter picks among arms of very different
/// cost, such as the trainer of an ML pipeline. Each trial's arm is drawn with probability inversely proportional
/// to the arm's estimated cost for improvement (ECI): how much more time the arm is likely to need before it beats
/// the study's best, judged from the time its trials took and how fast its results improved (Wang, Wu, Weimer and
/// Zhu 2021, "FLAML: A Fast and Lightweight AutoML Library", MLSys). Cheap arms that keep improving are drawn often;
/// an arm that is slow, or has stopped improving, less and less. Within the arm the wrapped sampler chooses the
/// other parameters, except that parameters named in <see cref="CostAwareSamplerOptions.CostParameters"/> may grow
/// at most by <see cref="CostAwareSamplerOptions.GrowthFactor"/> beyond the largest value tried, so the search
/// starts from cheap configurations and grows into costly ones only as it goes (the low-cost start of CFO, Wu, Wang,
/// Huang and Weimer 2021, "Frugal Optimization for Cost-related Hyperparameters", AAAI).
/// </summary>
/// <remarks>
/// A trial's cost is its wall-clock duration unless <see cref="CostAwareSamplerOptions.TrialCost"/> says otherwise, so arms
/// are compared on what they actually took on this machine (pruned and failed trials count). Until some trial of the study has completed, and for multi-objective studies,
/// the wrapped sampler chooses the arm. Enqueued trials (e.g. each arm's cheapest configuration) keep their fixed values.
/// </remarks>
public sealed class CostAwareSampler : ISampler
{
    private readonly CostAwareSamplerOptions _options;
    private readonly long _seed;
    private readonly HashSet<string> _costParameters;
    private readonly ConcurrentDictionary<int, double> _arms = new();

    /// <summary>Creates the sampler.</summary>
    /// <param name="baseSampler">The sampler for everything but the arm.</param>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public CostAwareSampler(ISampler baseSampler, CostAwareSamplerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(baseSampler);
        _options = options ?? new CostAwareSamplerOptions();
        if (_options.Problems() is { } problems)
        {
            throw new ArgumentException(problems, nameof(options));
        }

        BaseSampler = baseSampler;
        _seed = _options.Seed ?? Random.Shared.NextInt64();
        _costParameters = new HashSet<string>(_options.CostParameters, StringComparer.Ordinal);
    }

    /// <summary>The sampler for every parameter but the arm.</summary>
    public ISampler BaseSampler { get; }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial) =>
        BaseSampler.InferRelativeSearchSpace(study, trial);

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(searchSpace);
        var sample = BaseSampler.SampleRelative(study, trial, searchSpace);
        if (study.IsMultiObjective || sample.Count == 0)
        {
            return sample;
        }

        Dictionary<string, double>? changed = null;
        foreach (var (name, value) in sample)
        {
            if (!searchSpace.TryGetValue(name, out var distribution))
            {
                continue;
            }

            var chosen = name == _options.ChoiceParameter && distribution is CategoricalDistribution arms
                ? ChooseArm(study, trial, arms) ?? value
                : _costParameters.Contains(name) ? Cap(study, name, distribution, value) : value;
            if (chosen != value)
            {
                changed ??= new Dictionary<string, double>(sample, StringComparer.Ordinal);
                changed[name] = chosen;
            }
        }

        return changed ?? sample;
    }

    /// <inheritdoc/>
    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(distribution);
        if (!study.IsMultiObjective && name == _options.ChoiceParameter && distribution is CategoricalDistribution arms && ChooseArm(study, trial, arms) is { } arm)
        {
            return arm;
        }

        var value = BaseSampler.SampleIndependent(study, trial, name, distribution);
        return !study.IsMultiObjective && _costParameters.Contains(name) ? Cap(study, name, distribution, value) : value;
    }

    /// <inheritdoc/>
    public void BeforeTrial(Study study, FrozenTrial trial) => BaseSampler.BeforeTrial(study, trial);

    /// <inheritdoc/>
    public void AfterTrial(Study study, FrozenTrial trial, TrialState state, IReadOnlyList<double>? values)
    {
        ArgumentNullException.ThrowIfNull(trial);
        _arms.TryRemove(trial.Number, out _);
        BaseSampler.AfterTrial(study, trial, state, values);
    }

    /// <inheritdoc/>
    public bool IsExhausted(Study study) => BaseSampler.IsExhausted(study);

    /// <summary>
    /// Each arm's estimated cost for improvement, in seconds, from the study's finished trials; null for an arm no
    /// trial has tried, and null altogether until some trial has completed.
    /// </summary>
    /// <param name="study">The study.</param>
    /// <param name="arms">The choice parameter's distribution.</param>
    public IReadOnlyList<double?>? ImprovementCosts(Study study, CategoricalDistribution arms)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(arms);
        var costs = new ArmCost?[arms.Choices.Count];
        var maximize = study.Directions[0] == StudyDirection.Maximize;
        double? best = null;
        double? worst = null;
        foreach (var t in study.GetTrials(TrialState.Complete, TrialState.Pruned, TrialState.Fail).OrderBy(t => t.Number))
        {
            if (!t.Params.TryGetValue(_options.ChoiceParameter, out var choice) || (_options.TrialCost?.Invoke(t) ?? t.Duration?.TotalSeconds) is not { } cost || !double.IsFinite(cost))
            {
                continue;
            }

            var index = IndexOf(arms, choice);
            if (index < 0)
            {
                continue;
            }

            double? loss = t.State == TrialState.Complete && t.Values is { Count: 1 } v && double.IsFinite(v[0]) ? (maximize ? -v[0] : v[0]) : null;
            (costs[index] ??= new ArmCost()).Add(Math.Max(cost, 1e-3), loss);
            if (loss is { } l)
            {
                best = best is null ? l : Math.Min(best.Value, l);
                worst = worst is null ? l : Math.Max(worst.Value, l);
            }
        }

        if (best is not { } studyBest || worst is not { } worstLoss)
        {
            return null;
        }

        return costs.Select(c => c is null ? (double?)null : c.ImprovementCost(studyBest, worstLoss)).ToArray();
    }

    private double? ChooseArm(Study study, FrozenTrial trial, CategoricalDistribution arms)
    {
        if (_arms.TryGetValue(trial.Number, out var chosen))
        {
            return chosen;
        }

        if (ImprovementCosts(study, arms) is not { } costs)
        {
            return null;
        }

        // An arm not tried yet is assumed as cheap to improve as the cheapest tried one, so that it is tried soon.
        var tried = costs.Where(c => c is not null).Select(c => c!.Value).ToArray();
        var untried = tried.Length == 0 ? 1 : tried.Min();
        var weights = costs.Select(c => 1 / Math.Max(c ?? untried, 1e-6)).ToArray();
        var total = weights.Sum();
        var n = weights.Length;
        var u = SeededRandom.UniformFor(_seed, trial.Number, "cost-aware-arm");
        var index = n - 1;
        var cumulative = 0.0;
        for (var i = 0; i < n; i++)
        {
            cumulative += (1 - _options.Exploration) * weights[i] / total + _options.Exploration / n;
            if (u < cumulative)
            {
                index = i;
                break;
            }
        }

        return _arms.GetOrAdd(trial.Number, index);
    }

    private double Cap(Study study, string name, Distribution distribution, double value)
    {
        var (low, step) = distribution switch
        {
            IntDistribution d => ((double)d.Low, (double?)d.Step),
            FloatDistribution d => (d.Low, d.Step),
            _ => (0.0, null),
        };
        if (!(low > 0))
        {
            return value;
        }

        var largest = low;
        foreach (var t in study.GetTrials(TrialState.Complete, TrialState.Pruned, TrialState.Fail))
        {
            if (t.InternalParams.TryGetValue(name, out var x) && x > largest)
            {
                largest = x;
            }
        }

        var cap = largest * _options.GrowthFactor;
        if (value <= cap)
        {
            return value;
        }

        if (distribution is IntDistribution)
        {
            var s = step ?? 1;
            return low + (Math.Floor((cap - low) / s) * s);
        }

        return step is { } fs ? low + (Math.Floor((cap - low) / fs) * fs) : cap;
    }

    private static int IndexOf(CategoricalDistribution arms, object? choice)
    {
        for (var i = 0; i < arms.Choices.Count; i++)
        {
            if (Equals(arms.Choices[i], choice))
            {
                return i;
            }
        }

        return -1;
    }
}
