using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Samplers;

/// <summary>
/// Fixes some parameters to given values and lets another sampler choose the rest, e.g. to tune a model
/// further with its architecture held constant.
/// </summary>
public sealed class PartialFixedSampler : ISampler
{
    private readonly Dictionary<string, object?> _fixed;

    /// <summary>Creates the sampler.</summary>
    /// <param name="fixedParams">The fixed values, as the objective sees them.</param>
    /// <param name="baseSampler">The sampler for every other parameter.</param>
    public PartialFixedSampler(IReadOnlyDictionary<string, object?> fixedParams, ISampler baseSampler)
    {
        ArgumentNullException.ThrowIfNull(fixedParams);
        ArgumentNullException.ThrowIfNull(baseSampler);
        _fixed = new Dictionary<string, object?>(fixedParams);
        BaseSampler = baseSampler;
    }

    /// <summary>The sampler for the parameters that are not fixed.</summary>
    public ISampler BaseSampler { get; }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial)
    {
        var space = BaseSampler.InferRelativeSearchSpace(study, trial);
        if (!space.Keys.Any(_fixed.ContainsKey))
        {
            return space;
        }

        return space.Where(p => !_fixed.ContainsKey(p.Key)).ToDictionary(p => p.Key, p => p.Value);
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace) =>
        BaseSampler.SampleRelative(study, trial, searchSpace);

    /// <inheritdoc/>
    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        if (!_fixed.TryGetValue(name, out var value))
        {
            return BaseSampler.SampleIndependent(study, trial, name, distribution);
        }

        double x;
        try
        {
            x = distribution.ToInternal(value);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"PartialFixedSampler: fixed value of \"{name}\" does not fit {distribution}: {e.Message}", nameof(distribution), e);
        }

        return distribution.Contains(x)
            ? x
            : throw new ArgumentException($"PartialFixedSampler: fixed value {value} of \"{name}\" lies outside {distribution}.", nameof(distribution));
    }

    /// <inheritdoc/>
    public void BeforeTrial(Study study, FrozenTrial trial) => BaseSampler.BeforeTrial(study, trial);

    /// <inheritdoc/>
    public void AfterTrial(Study study, FrozenTrial trial, TrialState state, IReadOnlyList<double>? values) =>
        BaseSampler.AfterTrial(study, trial, state, values);

    /// <inheritdoc/>
    public bool IsExhausted(Study study) => BaseSampler.IsExhausted(study);
}
