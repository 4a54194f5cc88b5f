using System.Collections.Concurrent;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Samplers.Nsga;

/// <summary>
/// NSGA-III (Deb and Jain, "An evolutionary many-objective optimization algorithm using reference-point-based
/// nondominated sorting approach, part I: solving problems with box constraints", IEEE TEC 2014): NSGA-II with the
/// crowding distance replaced by niching around structured reference directions, which keeps the population spread
/// over the whole front when there are three or more objectives, where crowding distance loses its grip.
/// </summary>
/// <remarks>
/// <para>Everything but survivor selection is <see cref="NsgaIISampler"/>'s (generations, constraint-dominance, parents,
/// crossover, mutation, independent sampling), with the system attributes <c>nsga3:generation</c> and
/// <c>nsga3:parents</c>. When the fronts that fit leave room, the next front's trials are chosen as in the paper: the
/// objectives are translated by the ideal point of the candidates and divided by the intercepts of the hyperplane
/// through the extreme points (the largest value of each objective when that plane is degenerate); each trial is
/// associated with the nearest of Das and Dennis's reference directions
/// (<see cref="NsgaIIISamplerOptions.ReferencePointDivisions"/>) by perpendicular distance; then, one at a time, the
/// direction with the fewest survivors so far takes its nearest candidate (if it has no survivor yet) or a random one.
/// Parents are chosen by binary tournament on the front alone.</para>
/// </remarks>
public sealed class NsgaIIISampler : ISampler
{
    private readonly NsgaEngine _engine;
    private readonly ConcurrentDictionary<int, double[][]> _references = new();

    /// <summary>Creates the sampler.</summary>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names every one.</exception>
    public NsgaIIISampler(NsgaIIISamplerOptions? options = null)
    {
        options ??= new NsgaIIISamplerOptions();
        var problems = options.Problems();
        if (problems is not null)
        {
            throw new ArgumentException($"Invalid NsgaIIISamplerOptions: {problems}", nameof(options));
        }

        Seed = options.Seed ?? SeededRandom.NewSeed();
        var divisions = options.ReferencePointDivisions;
        var population = options.PopulationSize;
        _engine = new NsgaEngine(options, Seed, "nsga3", (objectives, violations, size, m, rng) =>
            NsgaSelection.Nsga3(objectives, violations, size, References(m, divisions, population), rng));
    }

    /// <summary>The seed in use.</summary>
    public long Seed { get; }

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

    private double[][] References(int objectives, int? divisions, int population) =>
        _references.GetOrAdd(objectives, m => ReferencePoints.DasDennis(m, divisions ?? ReferencePoints.DivisionsFor(m, population)));
}
