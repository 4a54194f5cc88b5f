using System.Runtime.CompilerServices;
using System.Text.Json;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Samplers.Nsga;

/// <summary>
/// What NSGA-II and NSGA-III share: generations recorded in trial system attributes, parent populations recomputed
/// from the stored trials of each generation, tournament choice of parents, crossover and mutation. The two differ only
/// in survivor selection (<see cref="NsgaSelection"/>).
/// </summary>
internal sealed class NsgaEngine
{
    private readonly ConditionalWeakTable<Study, NsgaStudyState> _states = [];
    private readonly NsgaVariation _variation;
    private readonly int _populationSize;
    private readonly Func<double[][], double[], int, int, SeededRandom, NsgaSelection.Result> _select;

    public NsgaEngine(NsgaIISamplerOptions options, long seed, string keyPrefix,
        Func<double[][], double[], int, int, SeededRandom, NsgaSelection.Result> select)
    {
        Seed = seed;
        _populationSize = options.PopulationSize;
        _variation = new NsgaVariation(options);
        _select = select;
        GenerationKey = keyPrefix + ":generation";
        ParentsKey = keyPrefix + ":parents";
        Independent = options.IndependentSampler ?? new RandomSampler(seed);
    }

    public long Seed { get; }

    public string GenerationKey { get; }

    public string ParentsKey { get; }

    public ISampler Independent { get; }

    public void BeforeTrial(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        Independent.BeforeTrial(study, trial);
        var state = _states.GetValue(study, _ => new NsgaStudyState(GenerationKey));
        NsgaStudyState.Assignment assignment;
        lock (state.Gate)
        {
            var (generation, parents, space) = state.Refresh(study.GetTrials(), study.Directions, _populationSize, Seed, _select);
            if (parents is null || space is null || space.Count == 0)
            {
                assignment = new NsgaStudyState.Assignment(generation + 1, null, null, []);
            }
            else
            {
                var rng = SeededRandom.ForTrial(Seed, trial.Number, "nsga");
                var first = Tournament(parents, rng, -1);
                var second = Tournament(parents, rng, first);
                var a = Values(parents.Members[first], space);
                var b = Values(parents.Members[second], space);
                var child = _variation.Child(space, a, b, rng);
                var values = new Dictionary<string, double>(space.Count, StringComparer.Ordinal);
                for (var i = 0; i < space.Count; i++)
                {
                    values[space.Names[i]] = child[i];
                }

                assignment = new NsgaStudyState.Assignment(
                    generation + 1, space, values, [parents.Members[first].Number, parents.Members[second].Number]);
            }

            state.Assign(trial.Number, assignment);
        }

        study.SetTrialSystemAttr(trial, GenerationKey, assignment.Generation);
        if (assignment.Parents.Length > 0)
        {
            study.SetTrialSystemAttr(trial, ParentsKey, assignment.Parents);
        }
    }

    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        return _states.TryGetValue(study, out var state) && state.TryGetAssignment(trial.Number, out var a) && a.Space is not null
            ? a.Space
            : NoRelativeSpace.Space;
    }

    public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(searchSpace);
        return _states.TryGetValue(study, out var state) && state.TryGetAssignment(trial.Number, out var a)
            && ReferenceEquals(a.Space, searchSpace) && a.Values is not null
            ? a.Values
            : NoRelativeSpace.Sample;
    }

    public void AfterTrial(Study study, FrozenTrial trial, TrialState state, IReadOnlyList<double>? values)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        Independent.AfterTrial(study, trial, state, values);
        if (_states.TryGetValue(study, out var s))
        {
            s.Forget(trial.Number);
        }
    }

    /// <summary>The state of a study, for tests.</summary>
    internal NsgaStudyState? StateOf(Study study) => _states.TryGetValue(study, out var s) ? s : null;

    /// <summary>Binary tournament: of two random parents, the one in the better front, then the less crowded, else the first drawn.</summary>
    private static int Tournament(NsgaStudyState.Population parents, SeededRandom rng, int avoid)
    {
        var n = parents.Members.Length;
        int Draw()
        {
            var k = rng.NextInt(n);
            for (var tries = 0; k == avoid && n > 1 && tries < 8; tries++)
            {
                k = rng.NextInt(n);
            }

            return k;
        }

        var i = Draw();
        var j = Draw();
        if (parents.Ranks[i] != parents.Ranks[j])
        {
            return parents.Ranks[i] < parents.Ranks[j] ? i : j;
        }

        return parents.Crowding[j] > parents.Crowding[i] ? j : i;
    }

    private static double[] Values(FrozenTrial t, NsgaSearchSpace space)
    {
        var x = new double[space.Count];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = t.InternalParams[space.Names[i]];
        }

        return x;
    }
}
