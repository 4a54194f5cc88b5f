namespace Hone.Samplers.Auto;

/// <summary>Settings of an <see cref="AutoSampler"/>: the seed, and the limits at which it hands a study from one algorithm to the next.</summary>
public sealed class AutoSamplerOptions
{
    /// <summary>The seed of every algorithm the sampler uses.</summary>
    /// <value>Null picks a random seed.</value>
    /// <remarks>Processes that share a study should use the same seed, as with <see cref="CmaEs.CmaEsSampler"/>.</remarks>
    public long? Seed { get; init; }

    /// <summary>The number of complete trials up to which a static space is searched with a Gaussian process.</summary>
    /// <value>200. A Gaussian process costs O(n³) per trial in the number of trials n; past this CMA-ES (numeric spaces) or TPE take over.</value>
    public int GaussianProcessTrials { get; init; } = 200;

    /// <summary>The largest number of jointly sampled parameters searched with a Gaussian process.</summary>
    /// <value>24. Larger spaces go to TPE, whose cost grows linearly with the dimension and which needs no model fit.</value>
    public int GaussianProcessMaxDimensions { get; init; } = 24;

    /// <summary>What is wrong with these options, every problem in one message, or null when they are valid.</summary>
    public string? Problems()
    {
        var problems = new List<string>();
        if (GaussianProcessTrials < 0)
        {
            problems.Add($"GaussianProcessTrials is {GaussianProcessTrials}; it must be 0 or more.");
        }

        if (GaussianProcessMaxDimensions < 1)
        {
            problems.Add($"GaussianProcessMaxDimensions is {GaussianProcessMaxDimensions}; it must be 1 or more.");
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }
}
