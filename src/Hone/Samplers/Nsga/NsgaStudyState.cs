using System.Text.Json;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Samplers.Nsga;

/// <summary>
/// What one NSGA sampler knows of one study: the parent population of the latest full generation, recomputed from the
/// stored trials (each generation's selection cached while its trials do not change), the joint space, and the children
/// it handed to trials it started. Not thread-safe: callers hold <see cref="Gate"/>.
/// </summary>
internal sealed class NsgaStudyState
{
    private readonly string _generationKey;
    private readonly Dictionary<int, Assignment> _assigned = [];
    private readonly Dictionary<int, (ulong Signature, Population Parents)> _selections = [];
    private IReadOnlyList<FrozenTrial>? _seen;
    private (int Generation, Population? Parents, NsgaSearchSpace? Space) _last = (-1, null, null);

    public NsgaStudyState(string generationKey)
    {
        _generationKey = generationKey;
    }

    public Lock Gate { get; } = new();

    /// <summary>The latest full generation's number (−1 for none), its survivors, and the joint space of the complete trials.</summary>
    public (int Generation, Population? Parents, NsgaSearchSpace? Space) Refresh(
        IReadOnlyList<FrozenTrial> trials, IReadOnlyList<StudyDirection> directions, int populationSize, long seed,
        Func<double[][], double[], int, int, SeededRandom, NsgaSelection.Result> select)
    {
        if (ReferenceEquals(trials, _seen))
        {
            return _last;
        }

        var byGeneration = new Dictionary<int, List<FrozenTrial>>();
        SortedDictionary<string, Distribution>? dims = null;
        foreach (var t in trials)
        {
            if (t.State != TrialState.Complete || t.Values is not { } values || values.Count != directions.Count)
            {
                continue;
            }

            if (dims is null)
            {
                dims = new SortedDictionary<string, Distribution>(StringComparer.Ordinal);
                foreach (var (name, d) in t.Distributions)
                {
                    if (!d.IsSingle)
                    {
                        dims[name] = d;
                    }
                }
            }
            else
            {
                foreach (var name in dims.Keys.ToArray())
                {
                    if (!t.Distributions.TryGetValue(name, out var d) || d != dims[name])
                    {
                        dims.Remove(name);
                    }
                }
            }

            if (t.SystemAttrs.TryGetValue(_generationKey, out var g) && g.ValueKind == JsonValueKind.Number && g.TryGetInt32(out var generation))
            {
                if (!byGeneration.TryGetValue(generation, out var members))
                {
                    byGeneration[generation] = members = [];
                }

                members.Add(t);
            }
        }

        var space = dims is null ? null : new NsgaSearchSpace(dims);
        if (_last.Space is { } previous && space is not null && SameSpace(previous, space))
        {
            space = previous;
        }

        Population? parents = null;
        var parentGeneration = -1;
        var signature = 14695981039346656037UL;
        for (var gen = 0; byGeneration.TryGetValue(gen, out var population) && population.Count >= populationSize; gen++)
        {
            foreach (var t in population)
            {
                signature = (signature ^ (ulong)t.Number) * 1099511628211UL;
            }

            signature = (signature ^ 0xFF) * 1099511628211UL;
            if (_selections.TryGetValue(gen, out var cached) && cached.Signature == signature)
            {
                parents = cached.Parents;
            }
            else
            {
                var candidates = parents is null ? population.ToArray() : [.. population, .. parents.Members];
                var objectives = candidates.Select(t => Signed(t.Values!, directions)).ToArray();
                var violations = candidates.Select(t => t.ConstraintViolation).ToArray();
                var rng = SeededRandom.ForTrial(seed, gen, "nsga:select");
                var result = select(objectives, violations, populationSize, directions.Count, rng);
                parents = new Population([.. result.Chosen.Select(i => candidates[i])], result.Ranks, result.Crowding);
                _selections[gen] = (signature, parents);
            }

            parentGeneration = gen;
        }

        _seen = trials;
        _last = (parentGeneration, parents, space);
        return _last;
    }

    public void Assign(int trialNumber, Assignment assignment) => _assigned[trialNumber] = assignment;

    public bool TryGetAssignment(int trialNumber, out Assignment assignment)
    {
        lock (Gate)
        {
            return _assigned.TryGetValue(trialNumber, out assignment!);
        }
    }

    public void Forget(int trialNumber)
    {
        lock (Gate)
        {
            _assigned.Remove(trialNumber);
        }
    }

    private static bool SameSpace(NsgaSearchSpace a, NsgaSearchSpace b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (a.Names[i] != b.Names[i] || a.Distributions[i] != b.Distributions[i])
            {
                return false;
            }
        }

        return true;
    }

    private static double[] Signed(IReadOnlyList<double> values, IReadOnlyList<StudyDirection> directions)
    {
        var x = new double[values.Count];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = directions[i] == StudyDirection.Maximize ? -values[i] : values[i];
        }

        return x;
    }

    /// <summary>Parents, in the order selection chose them, with each one's front rank and crowding distance.</summary>
    internal sealed record Population(FrozenTrial[] Members, int[] Ranks, double[] Crowding);

    /// <summary>The generation a trial belongs to, and the child (internal values by name) and parents' numbers it was given, if any.</summary>
    internal sealed record Assignment(int Generation, NsgaSearchSpace? Space, IReadOnlyDictionary<string, double>? Values, int[] Parents);
}
