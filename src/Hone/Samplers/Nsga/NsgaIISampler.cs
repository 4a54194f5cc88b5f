using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Samplers.Nsga;

/// <summary>
/// NSGA-II, the elitist non-dominated sorting genetic algorithm (Deb, Pratap, Agarwal and Meyarivan, "A fast and
/// elitist multiobjective genetic algorithm: NSGA-II", IEEE TEC 2002): trials come in generations of
/// <see cref="NsgaIISamplerOptions.PopulationSize"/>; each generation's children are bred from the parents that survived
/// the previous one, and the survivors of a generation are the best fronts of it and its parents, the last front cut
/// by crowding distance. The standard sampler for several objectives and for constrained problems; it also works with
/// one objective.
/// </summary>
/// <remarks>
/// <para><b>Generations.</b> As in Optuna, each trial records its generation in the <c>nsga2:generation</c> system
/// attribute (Optuna's key: Optuna's NSGAIISampler continues a Hone study's generations, and the other way round) and its two
/// parents' trial numbers in <c>nsga2:parents</c>. The first generation is sampled by
/// <see cref="NsgaIISamplerOptions.IndependentSampler"/>. Generation g + 1 starts once generation g has
/// <see cref="NsgaIISamplerOptions.PopulationSize"/> complete trials (with parallel workers it can end with more; all of
/// them compete). The parent population is recomputed from the stored trials of every generation, so a resumed study,
/// or another process sharing the study with the same seed, continues the same generations; selection's tie-breaks
/// are seeded by the generation, so every process computes the same parents.</para>
/// <para><b>Selection.</b> Constraint-dominance (Deb 2002): a feasible trial beats an infeasible one, of two infeasible
/// trials the smaller total violation wins (<see cref="Trial.SetConstraint"/>, <see cref="StudyOptions.Constraints"/>),
/// two feasible ones compare by Pareto dominance. Parents of a child are chosen by binary tournament (better front, then
/// larger crowding distance).</para>
/// <para><b>Variation.</b> With probability <see cref="NsgaIISamplerOptions.CrossoverProbability"/> (0.9) the child is a
/// crossover of the two parents, else a copy of the first: numeric parameters by <see cref="NsgaIISamplerOptions.Crossover"/>
/// (SBX by default, uniform, or BLX-α) in the unit box (log parameters in log space, integers and steps rounded to their
/// grid), categorical ones by uniform crossover. Each parameter is then mutated with probability
/// <see cref="NsgaIISamplerOptions.MutationProbability"/> (1/n): polynomial mutation for numeric ones, a random choice for
/// categorical ones (Optuna instead resamples a mutated parameter at random).</para>
/// <para><b>Search space.</b> The joint space is the parameters every complete trial has with the same distribution.
/// Parameters outside it (conditional ones, or asked with another distribution) go to the independent sampler. Failed
/// and pruned trials take no part.</para>
/// <para>Draws depend only on the seed, the trial's number and the stored trials, so a seeded study run by one worker
/// repeats exactly.</para>
/// </remarks>
public sealed class NsgaIISampler : ISampler
{
    private readonly NsgaEngine _engine;

    /// <summary>Creates the sampler.</summary>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names every one.</exception>
    public NsgaIISampler(NsgaIISamplerOptions? options = null)
    {
        options ??= new NsgaIISamplerOptions();
        var problems = options.Problems();
        if (problems is not null)
        {
            throw new ArgumentException($"Invalid NsgaIISamplerOptions: {problems}", nameof(options));
        }

        Seed = options.Seed ?? SeededRandom.NewSeed();
        _engine = new NsgaEngine(options, Seed, "nsga2",
            (objectives, violations, size, _, rng) => NsgaSelection.Nsga2(objectives, violations, size, rng));
    }

    /// <summary>The seed in use.</summary>
    public long Seed { get; }

    internal NsgaEngine Engine => _engine;

    /// <inheritdoc/>
    public void BeforeTrial(Study study, FrozenTrial trial) => _engine.BeforeTrial(study, trial);

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial) =>
        _engine.InferRelativeSearchSpace(study, trial);

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace) =>
        _engine.SampleRelative(study, trial, searchSpace);

    /// <inheritdoc/>
    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution) =>
        _engine.Independent.SampleIndependent(study, trial, name, distribution);

    /// <inheritdoc/>
    public void AfterTrial(Study study, FrozenTrial trial, TrialState state, IReadOnlyList<double>? values) =>
        _engine.AfterTrial(study, trial, state, values);
}
