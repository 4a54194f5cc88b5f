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

    /// <summary>Whether integer and stepped parameters keep a minimum probability of moving to a neighbouring value (CMA-ES with margin, Hamano et al. 2022).</summary>
    /// <value>True.</value>
    /// <remarks>
    /// After every generation, for each integer or stepped parameter the probability that a sample leaves the cell of the
    /// mean's value is kept at least α = 1/(nλ) (n parameters, population λ), by a per-parameter factor on the sampled step
    /// and a correction of the mean, as in the paper. Without it, the step size can shrink below the grid spacing and such
    /// parameters stop changing. Log-scaled integers, whose values' cells differ in width, get no margin.
    /// </remarks>
    public bool WithMargin { get; init; } = true;

    /// <summary>The restart strategy.</summary>
    /// <value><see cref="CmaEsRestart.None"/>.</value>
    public CmaEsRestart Restart { get; init; } = CmaEsRestart.None;

    /// <summary>
    /// Whether the first run starts from the study's own earlier trials that the sampler did not propose (WS-CMA-ES's
    /// estimate), instead of the box's centre with <see cref="Sigma0"/>.
    /// </summary>
    /// <value>False.</value>
    /// <remarks>
    /// Those are the complete trials added with <see cref="Studies.Study.AddTrial"/>, enqueued, sampled by another sampler
    /// (a random, TPE or GP phase before CMA-ES takes over the study), or sampled before the joint space was known, that
    /// have every parameter of the space and started before the first trial the sampler proposed. The mean, step size and
    /// covariance come from the best <see cref="WarmStartGamma"/> of them as in WS-CMA-ES (Nomura et al. 2021): the mean
    /// is their average, σ²C = 0.1²I + their covariance (in the unit box). With fewer than ten such trials the run starts
    /// cold, at the centre: a few trials locate nothing. <see cref="SourceTrials"/>, when some fit, take precedence.
    /// </remarks>
    public bool WarmStart { get; init; }

    /// <summary>
    /// Complete trials of a related task (another study on a similar problem) to warm-start from, as Optuna's
    /// <c>source_trials</c> (WS-CMA-ES, Nomura, Watanabe, Akimoto, Ozaki and Onishi 2021).
    /// </summary>
    /// <value>Null: no source task.</value>
    /// <remarks>
    /// A source trial counts when it is complete, single-objective, and has every parameter of the joint space with a
    /// value inside that parameter's range here; its value is ranked in this study's direction. The initial mean, step size
    /// and covariance come from the best <see cref="WarmStartGamma"/> of them: the mean is their average and
    /// σ²C = 0.1²I + their covariance, in the unit box (a mixture of Gaussians of width 0.1 around the promising points,
    /// matched by one Gaussian). Processes that share a study must pass the same source trials.
    /// </remarks>
    public IReadOnlyList<Trials.FrozenTrial>? SourceTrials { get; init; }

    /// <summary>The fraction γ of the best warm-start trials (<see cref="SourceTrials"/> or <see cref="WarmStart"/>) the initial distribution is estimated from.</summary>
    /// <value>0.1, as in WS-CMA-ES; at least one trial is used.</value>
    public double WarmStartGamma { get; init; } = 0.1;

    /// <summary>
    /// Whether the learning rates of the mean and of the covariance adapt to keep the signal-to-noise ratio of their
    /// updates constant (LRA-CMA-ES, Nomura, Akimoto and Ono 2023).
    /// </summary>
    /// <value>False.</value>
    /// <remarks>
    /// On noisy or multimodal objectives the rates drop below 1, so the distribution moves on the trend of many generations
    /// rather than on one generation's noise, without a larger population; on easy problems they stay near 1 (plain
    /// CMA-ES). The paper's constants: target SNR α = 1.4, β_m = 0.1, β_Σ = 0.03, γ = 0.1. The rates are part of the state
    /// replayed from the trials.
    /// </remarks>
    public bool LearningRateAdaptation { get; init; }

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

        if (!(WarmStartGamma > 0 && WarmStartGamma <= 1))
        {
            problems.Add($"WarmStartGamma is {WarmStartGamma}; it must be a fraction in (0, 1], such as 0.1.");
        }

        if (SourceTrials is not null && SourceTrials.Any(t => t is null))
        {
            problems.Add("SourceTrials contains a null trial; pass only trials.");
        }

        if (!Enum.IsDefined(Restart))
        {
            problems.Add($"Restart is {(int)Restart}; it must be None, Ipop or Bipop.");
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }
}
