namespace Hone.Samplers.Nsga;

/// <summary>How an <see cref="NsgaIISampler"/> (and, with <see cref="NsgaIIISamplerOptions"/>, an <see cref="NsgaIIISampler"/>) searches.</summary>
public class NsgaIISamplerOptions
{
    /// <summary>The seed of parent choice, crossover, mutation, tie-breaks in selection, and of the default independent sampler.</summary>
    /// <value>Null picks a random seed.</value>
    /// <remarks>Processes that share a study must use the same seed: each recomputes the populations from the study's trials and the seed.</remarks>
    public long? Seed { get; init; }

    /// <summary>The number of complete trials in each generation, and of parents kept from one generation to the next.</summary>
    /// <value>50, as Optuna.</value>
    public int PopulationSize { get; init; } = 50;

    /// <summary>How a child's numeric parameters come from its two parents.</summary>
    /// <value><see cref="NsgaCrossover.Sbx"/> (Optuna's default is <see cref="NsgaCrossover.Uniform"/>).</value>
    public NsgaCrossover Crossover { get; init; } = NsgaCrossover.Sbx;

    /// <summary>The probability that a child is a crossover of two parents; otherwise it is a copy of one parent (then mutated).</summary>
    /// <value>0.9, as Optuna.</value>
    public double CrossoverProbability { get; init; } = 0.9;

    /// <summary>
    /// The probability that a parameter comes from the second parent in a uniform crossover (numeric parameters with
    /// <see cref="NsgaCrossover.Uniform"/>, categorical ones always), and that SBX crosses a numeric parameter at all
    /// (otherwise it is taken from one parent).
    /// </summary>
    /// <value>0.5, as Optuna.</value>
    public double SwappingProbability { get; init; } = 0.5;

    /// <summary>The distribution index η_c of simulated binary crossover: larger keeps children closer to their parents.</summary>
    /// <value>20, Deb's usual value.</value>
    public double SbxEta { get; init; } = 20;

    /// <summary>α of BLX-α: how far beyond the parents' interval, as a fraction of its length, a child may fall.</summary>
    /// <value>0.5.</value>
    public double BlxAlpha { get; init; } = 0.5;

    /// <summary>The probability that each parameter of a child is mutated.</summary>
    /// <value>Null: 1/n for n parameters in the joint space.</value>
    /// <remarks>
    /// A numeric parameter is mutated by polynomial mutation (Deb and Goyal 1996, the bounded form of NSGA-II's code)
    /// with the distribution index <see cref="MutationEta"/>; a categorical one takes a uniformly random choice. Optuna
    /// instead resamples a mutated parameter from its independent sampler.
    /// </remarks>
    public double? MutationProbability { get; init; }

    /// <summary>The distribution index η_m of polynomial mutation: larger makes smaller steps.</summary>
    /// <value>20, Deb's usual value.</value>
    public double MutationEta { get; init; } = 20;

    /// <summary>Samples the first generation, parameters outside the joint space (conditional ones), and any parameter while the joint space is unknown.</summary>
    /// <value>Null uses a <see cref="RandomSampler"/> with the same seed.</value>
    public ISampler? IndependentSampler { get; init; }

    /// <summary>What is wrong with these options, every problem in one message, or null when they are valid.</summary>
    public virtual string? Problems()
    {
        var problems = new List<string>();
        if (PopulationSize < 2)
        {
            problems.Add($"PopulationSize is {PopulationSize}; it must be 2 or more (Optuna's default is 50).");
        }

        if (!Enum.IsDefined(Crossover))
        {
            problems.Add($"Crossover is {(int)Crossover}; it must be Sbx, Uniform or BlxAlpha.");
        }

        Probability(problems, nameof(CrossoverProbability), CrossoverProbability);
        Probability(problems, nameof(SwappingProbability), SwappingProbability);
        if (MutationProbability is { } pm)
        {
            Probability(problems, nameof(MutationProbability), pm);
        }

        if (!(SbxEta >= 0) || double.IsInfinity(SbxEta))
        {
            problems.Add($"SbxEta is {SbxEta}; it must be a finite number ≥ 0, such as 20.");
        }

        if (!(MutationEta >= 0) || double.IsInfinity(MutationEta))
        {
            problems.Add($"MutationEta is {MutationEta}; it must be a finite number ≥ 0, such as 20.");
        }

        if (!(BlxAlpha >= 0) || double.IsInfinity(BlxAlpha))
        {
            problems.Add($"BlxAlpha is {BlxAlpha}; it must be a finite number ≥ 0, such as 0.5.");
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }

    private static void Probability(List<string> problems, string name, double p)
    {
        if (!(p >= 0 && p <= 1))
        {
            problems.Add($"{name} is {p}; it must be a probability in [0, 1].");
        }
    }
}
