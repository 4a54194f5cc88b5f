using Hone.Distributions;
using Hone.Trials;

namespace Hone.Samplers.Auto;

/// <summary>
/// What an <see cref="AutoSampler"/> knows of a study's trials when it chooses: how many are complete and pruned, the
/// parameters every finished trial shares, and whether the space is conditional (finished trials differ in their
/// parameters). Kept incrementally: the finished trials at the start of the list never change, so each call scans only
/// the trials after the first unfinished one.
/// </summary>
internal sealed class StudyShape
{
    private readonly Dictionary<string, Distribution> _prefixSpace = new(StringComparer.Ordinal);
    private readonly HashSet<string> _prefixNames = new(StringComparer.Ordinal);
    private int _prefixLength;
    private int _prefixComplete;
    private int _prefixPruned;
    private bool _prefixConditional;
    private bool _prefixAnyFinished;
    private double _best = double.NaN;
    private double _low = double.PositiveInfinity;
    private double _high = double.NegativeInfinity;
    private int _sinceImprovement;
    private int _prefixCompleteSeen;

    /// <summary>Whether the objective is maximized (the stall test needs to know which way is better).</summary>
    public bool Maximize { get; set; }

    /// <summary>The number of trials without improvement, after the first <see cref="StallStart"/> complete ones, that marks a stall.</summary>
    public int StallWindow { get; set; } = int.MaxValue;

    /// <summary>The number of complete trials before which no stall is counted.</summary>
    public int StallStart { get; set; }

    /// <summary>
    /// Whether, at some point, <see cref="StallWindow"/> complete trials in a row (in trial order, once all earlier trials
    /// finished) failed to improve the best value by 0.1% of the range of values seen. Once set it stays set.
    /// </summary>
    public bool Stalled { get; private set; }

    public object Gate { get; } = new();

    public int Complete { get; private set; }

    public int Pruned { get; private set; }

    /// <summary>Whether two finished trials differ in which parameters they have, or in a parameter's kind.</summary>
    public bool Conditional { get; private set; }

    /// <summary>The parameters of every finished (complete or pruned) trial, with the distribution of the latest.</summary>
    public IReadOnlyDictionary<string, Distribution> Space { get; private set; } = new Dictionary<string, Distribution>();

    /// <summary>Brings the summary up to date with <paramref name="trials"/> (all of one study, ordered by number).</summary>
    public void Update(IReadOnlyList<FrozenTrial> trials)
    {
        if (_prefixLength > trials.Count)
        {
            Reset();
        }

        while (_prefixLength < trials.Count && trials[_prefixLength].State.IsFinished())
        {
            TrackStall(trials[_prefixLength]);
            Add(trials[_prefixLength], _prefixSpace, _prefixNames, ref _prefixComplete, ref _prefixPruned, ref _prefixConditional,
                ref _prefixAnyFinished);
            _prefixLength++;
        }

        var space = new Dictionary<string, Distribution>(_prefixSpace, StringComparer.Ordinal);
        var names = new HashSet<string>(_prefixNames, StringComparer.Ordinal);
        var complete = _prefixComplete;
        var pruned = _prefixPruned;
        var conditional = _prefixConditional;
        var anyFinished = _prefixAnyFinished;
        for (var i = _prefixLength; i < trials.Count; i++)
        {
            if (trials[i].State.IsFinished())
            {
                Add(trials[i], space, names, ref complete, ref pruned, ref conditional, ref anyFinished);
            }
        }

        Complete = complete;
        Pruned = pruned;
        Conditional = conditional;
        Space = space;
    }

    private void TrackStall(FrozenTrial trial)
    {
        if (trial.State != TrialState.Complete || trial.Values is not { Count: 1 } values || !double.IsFinite(values[0]))
        {
            return;
        }

        var v = Maximize ? -values[0] : values[0];
        _prefixCompleteSeen++;
        _low = Math.Min(_low, v);
        _high = Math.Max(_high, v);
        if (double.IsNaN(_best) || v < _best - (1e-3 * (_high - _low)))
        {
            _best = double.IsNaN(_best) ? v : Math.Min(_best, v);
            _sinceImprovement = 0;
            return;
        }

        _best = Math.Min(_best, v);
        if (_prefixCompleteSeen > StallStart && ++_sinceImprovement >= StallWindow)
        {
            Stalled = true;
        }
    }

    private void Reset()
    {
        _best = double.NaN;
        _low = double.PositiveInfinity;
        _high = double.NegativeInfinity;
        _sinceImprovement = 0;
        _prefixCompleteSeen = 0;
        Stalled = false;
        _prefixSpace.Clear();
        _prefixNames.Clear();
        _prefixLength = 0;
        _prefixComplete = 0;
        _prefixPruned = 0;
        _prefixConditional = false;
        _prefixAnyFinished = false;
    }

    private static void Add(
        FrozenTrial trial,
        Dictionary<string, Distribution> space,
        HashSet<string> names,
        ref int complete,
        ref int pruned,
        ref bool conditional,
        ref bool anyFinished)
    {
        switch (trial.State)
        {
            case TrialState.Complete:
                complete++;
                break;
            case TrialState.Pruned:
                pruned++;
                break;
            default:
                return;
        }

        var distributions = trial.Distributions;
        if (!anyFinished)
        {
            anyFinished = true;
            foreach (var (name, distribution) in distributions)
            {
                space[name] = distribution;
                names.Add(name);
            }

            return;
        }

        if (distributions.Count != names.Count)
        {
            conditional = true;
        }

        foreach (var (name, distribution) in distributions)
        {
            if (names.Add(name))
            {
                conditional = true;
            }
            else if (space.TryGetValue(name, out var seen))
            {
                if (Distribution.AreCompatible(seen, distribution))
                {
                    space[name] = distribution;
                }
                else
                {
                    conditional = true;
                    space.Remove(name);
                }
            }
        }

        if (space.Count > 0 && distributions.Count < names.Count)
        {
            foreach (var name in space.Keys.Where(n => !distributions.ContainsKey(n)).ToList())
            {
                space.Remove(name);
            }
        }
    }
}
