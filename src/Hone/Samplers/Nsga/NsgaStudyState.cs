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
    private readonly HashSet<int> _folded = [];
    private readonly Dictionary<int, List<FrozenTrial>> _byGeneration = [];
    private IReadOnlyList<FrozenTrial>? _seen;
    private (int Generation, Population? Parents, NsgaSearchSpace? Space) _last = (-1, null, null);
    private SortedDictionary<string, Distribution>? _dims;
    private NsgaSearchSpace? _space;
    private int _settled;

    public NsgaStudyState(string generationKey)
    {
        _generationKey = generationKey;
    }

    public Lock Gate { get; } = new();

    /// <summary>The latest full generation's number (−1 for none), its survivors, and the joint space of the complete trials.</summary>
    /// <remarks>
    /// Finished trials never change, so each is folded in once (the space narrowed, the generation grown); a refresh
    /// costs O(trials started or finished since the last one) plus a pass over the generations' sizes, and a selection
    /// only for a generation whose members changed.
    /// </remarks>
    public (int Generation, Population? Parents, NsgaSearchSpace? Space) Refresh(
        IReadOnlyList<FrozenTrial> trials, IReadOnlyList<StudyDirection> directions, int populationSize, long seed,
        Func<double[][], double[], int, int, SeededRandom, NsgaSelection.Result> select)
    {
        if (ReferenceEquals(trials, _seen))
        {
            return _last;
        }

        if (trials.Count < _settled)
        {
            // Another list of trials (a study deleted and made anew under this object): start over.
            _settled = 0;
            _folded.Clear();
            _byGeneration.Clear();
            _selections.Clear();
            _dims = null;
            _space = null;
        }

        var settling = true;
        for (var p = _settled; p < trials.Count; p++)
        {
            var t = trials[p];
            var finished = t.State.IsFinished();
            if (finished && !_folded.Contains(t.Number))
            {
                Fold(t, directions.Count);
                _folded.Add(t.Number);
            }

            if (finished && settling)
            {
                _settled = p + 1;
                _folded.Remove(t.Number);
            }
            else
            {
                settling = false;
            }
        }

        Population? parents = null;
        var parentGeneration = -1;
        var signature = 14695981039346656037UL;
        for (var gen = 0; _byGeneration.TryGetValue(gen, out var population) && population.Count >= populationSize; gen++)
        {
            // Trials join a generation in the order they finish; selection sees them by number, as every process does.
            population.Sort(static (a, b) => a.Number.CompareTo(b.Number));
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
        _last = (parentGeneration, parents, _space);
        return _last;
    }

    /// <summary>Narrows the joint space to a complete trial's parameters and adds the trial to its generation.</summary>
    private void Fold(FrozenTrial t, int objectives)
    {
        if (t.State != TrialState.Complete || t.Values is not { } values || values.Count != objectives)
        {
            return;
        }

        var changed = false;
        if (_dims is null)
        {
            _dims = new SortedDictionary<string, Distribution>(StringComparer.Ordinal);
            foreach (var (name, d) in t.Distributions)
            {
                if (!d.IsSingle)
                {
                    _dims[name] = d;
                }
            }

            changed = true;
        }
        else
        {
            List<string>? drop = null;
            foreach (var (name, d) in _dims)
            {
                if (!t.Distributions.TryGetValue(name, out var other) || other != d)
                {
                    (drop ??= []).Add(name);
                }
            }

            foreach (var name in drop ?? [])
            {
                _dims.Remove(name);
                changed = true;
            }
        }

        if (changed)
        {
            _space = new NsgaSearchSpace(_dims);
        }

        if (t.SystemAttrs.TryGetValue(_generationKey, out var g) && g.ValueKind == JsonValueKind.Number && g.TryGetInt32(out var generation))
        {
            if (!_byGeneration.TryGetValue(generation, out var members))
            {
                _byGeneration[generation] = members = [];
            }

            members.Add(t);
        }
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
