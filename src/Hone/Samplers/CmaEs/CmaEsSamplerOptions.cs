namespace Hone.Samplers.CmaEs;

/// <summary>How a <see cref="CmaEsSampler"/> searches.</summary>
public sealed class CmaEsSamplerOptions
{
    /// <summary>The seed of the candidates, the restarts and of the default independent sampler.</summary>
    /// <value>Null picks a random seed.</value>
    /// <remarks>Processes that share a study must use the same seed: each rebuilds the search from the study's trials and the seed.</remarks>
    public long? Seed { get; init; }

    /// <summary>The initial step size, as a fraction of every parameter's range (log range for log parameters).</summary>
    /// <value>1/6, so the initial mean at the centre is three standard deviations from either bound.</value>
    public double Sigma0 { get; init; } = 1.0 / 6;

    /// <summary>The population size λ of the first run.</summary>
    /// <value>Null for the tutorial's default, 4 + ⌊3 ln n⌋ for n parameters.</value>
    public int? PopulationSize { get; init; }

    /// <summary>Whether to learn only a diagonal covariance (sep-CMA-ES, Ros and Hansen 2008).</summary>
    /// <value>False.</value>
    /// <remarks>Cheaper and faster to adapt on problems whose parameters act independently; cannot learn correlations.</remarks>
    public bool Separable { get; init; }

    /// <summary>Whether integer and stepped parameters keep a minimum probability of moving to a neighbouring value (Hamano et al. 2022).</summary>
    /// <value>True.</value>
    /// <remarks>Without it, the step size can shrink below the grid spacing and such parameters stop changing.</remarks>
    public bool WithMargin { get; init; } = true;

    /// <summary>The restart strategy.</summary>
    /// <value><see cref="CmaEsRestart.None"/>.</value>
    public CmaEsRestart Restart { get; init; } = CmaEsRestart.None;

    /// <summary>Whether the first run starts at the best trial the sampler did not propose, instead of the box's centre.</summary>
    /// <value>False.</value>
    /// <remarks>
    /// Those are the trials added with <see cref="Studies.Study.AddTrial"/>, enqueued, or sampled before the joint space
    /// was known, that have every parameter of the space and started before the first trial the sampler proposed. Only the
    /// mean is taken from them; the step size stays <see cref="Sigma0"/>. (WS-CMA-ES, which also estimates a covariance from
    /// a related study, is not implemented.)
    /// </remarks>
    public bool WarmStart { get; init; }

    /// <summary>Samples categorical parameters, parameters outside the joint space, and everything until that space is known.</summary>
    /// <value>Null uses a <see cref="RandomSampler"/> with the same seed.</value>
    public ISampler? IndependentSampler { get; init; }

    /// <summary>What is wrong with these options, every problem in one message, or null when they are valid.</summary>
    public string? Problems()
    {
        var problems = new List<string>();
        if (!(Sigma0 > 0) || double.IsInfinity(Sigma0))
        {
            problems.Add($"Sigma0 is {Sigma0}; it must be a positive fraction of the range, such as 1/6.");
        }

        if (PopulationSize is { } lambda && lambda < 2)
        {
            problems.Add($"PopulationSize is {lambda}; it must be 2 or more, or null for the default.");
        }

        if (!Enum.IsDefined(Restart))
        {
            problems.Add($"Restart is {(int)Restart}; it must be None, Ipop or Bipop.");
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }
}
