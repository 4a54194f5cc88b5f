namespace Hone.Samplers.Gp;

/// <summary>How a <see cref="GpSampler"/> searches.</summary>
public sealed class GpSamplerOptions
{
    /// <summary>The seed of the startup points, the acquisition's candidates and the default independent sampler.</summary>
    /// <value>Null picks a random seed.</value>
    public long? Seed { get; init; }

    /// <summary>How many complete trials are sampled quasi-randomly (scrambled Sobol points, by <see cref="Qmc.QmcSampler"/>) before the GP takes over.</summary>
    /// <value>10.</value>
    public int StartupTrials { get; init; } = 10;

    /// <summary>Samples the parameters outside the joint space (conditional ones, those asked with another distribution).</summary>
    /// <value>Null uses a <see cref="RandomSampler"/> with the same seed.</value>
    public ISampler? IndependentSampler { get; init; }

    /// <summary>Whether the objective returns the same value for the same parameters.</summary>
    /// <value>False: the noise variance is fitted (above a floor of 10⁻⁴ of the outputs' variance).</value>
    /// <remarks>True fixes the noise at 10⁻⁶ of the outputs' variance, so the model interpolates the observations.</remarks>
    public bool DeterministicObjective { get; init; }

    /// <summary>Whether the outputs are warped by a Yeo–Johnson power transformation fitted to them before modelling, as HEBO does.</summary>
    /// <value>False.</value>
    /// <remarks>Helps objectives with heavy tails or a few very bad values (divergent training runs), which otherwise dominate a GP fitted to standardised outputs.</remarks>
    public bool WarpOutput { get; init; }

    /// <summary>How many quasi-random candidates the acquisition function is scored at before local refinement.</summary>
    /// <value>2,048 (as Optuna's GPSampler).</value>
    /// <remarks>Beyond 100 observations, where scoring a candidate costs O(n²), fewer are scored: this many times (100/n)², and at least 512.</remarks>
    public int Candidates { get; init; } = 2048;

    /// <summary>How many of the best candidates are refined by local optimisation (the three best observed points are refined too).</summary>
    /// <value>5.</value>
    public int LocalSearches { get; init; } = 5;

    /// <summary>What is wrong with these options, every problem in one message, or null when they are valid.</summary>
    public string? Problems()
    {
        var problems = new List<string>();
        if (StartupTrials < 0)
        {
            problems.Add($"StartupTrials is {StartupTrials}; it must be 0 or more.");
        }

        if (Candidates is < 1 or > 1_000_000)
        {
            problems.Add($"Candidates is {Candidates}; it must be between 1 and 1,000,000, such as 2048.");
        }

        if (LocalSearches is < 0 or > 1000)
        {
            problems.Add($"LocalSearches is {LocalSearches}; it must be between 0 and 1,000, such as 5.");
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }
}
