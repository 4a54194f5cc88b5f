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
    /// <value>8. In more dimensions a GP with a hundred trials or so over-explores the boundary of the box (measured on a
    /// 10-dimensional sphere and on levy10, docs/benchmarks.md); CMA-ES (numeric spaces) or TPE take those.</value>
    public int GaussianProcessMaxDimensions { get; init; } = 8;

    /// <summary>
    /// How many complete trials in a row may fail to improve the best value (by 0.1% of the range of values seen) before
    /// the Gaussian process hands the study over, counted after its quasi-random start.
    /// </summary>
    /// <value>Null for 10 + 2d with d parameters. A stalled GP has usually converged, or is stuck on a surface it models
    /// badly (a narrow curved valley, a plateau); CMA-ES warm-started from the trials, or TPE, go on from there.</value>
    public int? GaussianProcessPatience { get; init; }

    /// <summary>
    /// Trials of earlier studies of a similar task to start from: the TPE the sampler uses takes them as down-weighted
    /// prior observations (<see cref="Tpe.TpeSamplerOptions.WarmStartTrials"/>) and CMA-ES as the source of its initial
    /// distribution (<see cref="CmaEs.CmaEsSamplerOptions.SourceTrials"/>). While fewer than
    /// <see cref="GaussianProcessTrials"/> trials are complete, a warm-started study uses TPE instead of the Gaussian
    /// process, which does not take prior trials.
    /// </summary>
    /// <value>None.</value>
    public IReadOnlyList<Trials.FrozenTrial>? WarmStartTrials { get; init; }

    /// <summary>What is wrong with these options, every problem in one message, or null when they are valid.</summary>
    public string? Problems()
    {
        var problems = new List<string>();
        if (GaussianProcessTrials < 0)
        {
            problems.Add($"GaussianProcessTrials is {GaussianProcessTrials}; it must be 0 or more.");
        }

        if (GaussianProcessPatience is < 1)
        {
            problems.Add($"GaussianProcessPatience is {GaussianProcessPatience}; it must be 1 or more, or null for the default.");
        }

        if (GaussianProcessMaxDimensions < 1)
        {
            problems.Add($"GaussianProcessMaxDimensions is {GaussianProcessMaxDimensions}; it must be 1 or more.");
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }
}
