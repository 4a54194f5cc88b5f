using System.Globalization;
using System.Runtime.CompilerServices;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Pruners;

/// <summary>
/// Hyperband (Li et al. 2017, "Hyperband: a novel bandit-based approach to hyperparameter optimization") run
/// asynchronously, as Optuna does: several brackets of successive halving (<see cref="SuccessiveHalvingPruner"/>, ASHA:
/// Li et al. 2020) that differ in how early they start pruning; each trial belongs to one bracket and is compared only
/// with the trials of its bracket.
/// </summary>
/// <remarks>
/// <para>With r = <see cref="HyperbandPrunerOptions.MinResource"/>, R = <see cref="HyperbandPrunerOptions.MaxResource"/>
/// and η = <see cref="HyperbandPrunerOptions.ReductionFactor"/>, there are n = ⌊log_η(R/r)⌋ + 1 brackets; bracket b
/// prunes from step r·η^b on (its minimum early-stopping rate is b). Trials are spread over brackets in proportion to
/// Hyperband's bracket sizes, ⌈n·η^s/(s+1)⌉ with s = n − 1 − b, by the CRC-32 of "studyname_trialnumber" (Optuna's
/// rule, so a study gets the same assignment in Hone and Optuna): deterministic, and the same in every process.</para>
/// <para>This pruner implements <see cref="ISamplingPartitioner"/>: a sampler that reads
/// <see cref="Study.GetTrialsForSampling(FrozenTrial)"/> (TPE does) learns only from the trials of the bracket of the
/// trial it samples for, which makes TPE + Hyperband the BOHB of Falkner et al. 2018.</para>
/// <para>With automatic R, nothing is pruned, and trials are not split, until a trial is complete.</para>
/// </remarks>
public sealed class HyperbandPruner : IPruner, ISamplingPartitioner
{
    private readonly int _minResource;
    private readonly int _reductionFactor;
    private readonly int _bootstrapCount;
    private readonly Lock _gate = new();
    private readonly ConditionalWeakTable<Study, BracketViews> _views = [];
    private Brackets? _brackets;

    /// <summary>Creates the pruner.</summary>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names every one.</exception>
    public HyperbandPruner(HyperbandPrunerOptions? options = null)
    {
        options ??= new HyperbandPrunerOptions();
        var problems = options.Problems();
        if (problems is not null)
        {
            throw new ArgumentException($"Invalid {nameof(HyperbandPrunerOptions)}: {problems}", nameof(options));
        }

        _minResource = options.MinResource;
        _reductionFactor = options.ReductionFactor;
        _bootstrapCount = options.BootstrapCount;
        if (options.MaxResource is { } max)
        {
            _brackets = Build(max);
        }
    }

    /// <summary>The number of brackets, or null while the maximum resource is not known yet.</summary>
    public int? BracketCount => Volatile.Read(ref _brackets)?.Pruners.Length;

    /// <summary>The maximum resource in use, or null while it is not known yet.</summary>
    public int? MaxResource => Volatile.Read(ref _brackets)?.MaxResource;

    /// <inheritdoc/>
    public bool Prune(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        var brackets = Initialize(study);
        if (brackets is null)
        {
            return false;
        }

        var bracket = BracketOf(brackets, study.Name, trial.Number);
        return brackets.Pruners[bracket].PruneAmong(study, trial, TrialsOf(study, bracket));
    }

    /// <summary>The bracket of trial number <paramref name="trialNumber"/>, or null while the brackets are not known.</summary>
    public int? BracketOf(Study study, int trialNumber)
    {
        ArgumentNullException.ThrowIfNull(study);
        return Initialize(study) is { } brackets ? BracketOf(brackets, study.Name, trialNumber) : null;
    }

    /// <inheritdoc/>
    public int? PartitionOf(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return BracketOf(study, trial.Number);
    }

    /// <inheritdoc/>
    public IReadOnlyList<FrozenTrial> TrialsOf(Study study, int partition)
    {
        ArgumentNullException.ThrowIfNull(study);
        var brackets = Initialize(study) ?? throw new InvalidOperationException("The Hyperband brackets are not known yet (no trial is complete).");
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, brackets.Pruners.Length);
        return _views.GetValue(study, _ => new BracketViews()).Get(study, brackets, partition);
    }

    private static int BracketOf(Brackets brackets, string studyName, int trialNumber)
    {
        var n = (long)(Crc32.Of(string.Create(CultureInfo.InvariantCulture, $"{studyName}_{trialNumber}")) % (uint)brackets.TotalBudget);
        for (var b = 0; b < brackets.Budgets.Length; b++)
        {
            n -= brackets.Budgets[b];
            if (n < 0)
            {
                return b;
            }
        }

        return brackets.Budgets.Length - 1;
    }

    private Brackets? Initialize(Study study)
    {
        var brackets = Volatile.Read(ref _brackets);
        if (brackets is not null)
        {
            return brackets;
        }

        var longest = -1;
        foreach (var t in study.GetTrials(TrialState.Complete))
        {
            if (PrunerMath.LastStep(t) is { } last)
            {
                longest = Math.Max(longest, last);
            }
        }

        if (longest < 0)
        {
            return null;
        }

        lock (_gate)
        {
            return _brackets ??= Build(Math.Max(longest + 1, _minResource));
        }
    }

    private Brackets Build(int maxResource)
    {
        // ⌊log_η(R/r)⌋ + 1 computed in floating point exactly as Optuna does, so both assign the same brackets.
        var count = (int)Math.Floor(Math.Log((double)maxResource / _minResource) / Math.Log(_reductionFactor)) + 1;

        var budgets = new int[count];
        var pruners = new SuccessiveHalvingPruner[count];
        var total = 0;
        for (var b = 0; b < count; b++)
        {
            var s = count - 1 - b;
            budgets[b] = (int)Math.Ceiling(count * Math.Pow(_reductionFactor, s) / (s + 1));
            total += budgets[b];
            pruners[b] = new SuccessiveHalvingPruner(new SuccessiveHalvingPrunerOptions
            {
                MinResource = _minResource,
                ReductionFactor = _reductionFactor,
                MinEarlyStoppingRate = b,
                BootstrapCount = _bootstrapCount,
            });
        }

        return new Brackets(maxResource, budgets, total, pruners);
    }

    private sealed record Brackets(int MaxResource, int[] Budgets, int TotalBudget, SuccessiveHalvingPruner[] Pruners);

    /// <summary>Per study, each bracket's trials, rebuilt only when the study's trials changed.</summary>
    private sealed class BracketViews
    {
        private readonly Lock _gate = new();
        private IReadOnlyList<FrozenTrial>? _source;
        private IReadOnlyList<FrozenTrial>[] _lists = [];

        public IReadOnlyList<FrozenTrial> Get(Study study, Brackets brackets, int bracket)
        {
            var all = study.GetTrials();
            lock (_gate)
            {
                if (!ReferenceEquals(all, _source))
                {
                    var lists = new List<FrozenTrial>[brackets.Pruners.Length];
                    for (var b = 0; b < lists.Length; b++)
                    {
                        lists[b] = [];
                    }

                    foreach (var t in all)
                    {
                        lists[BracketOf(brackets, study.Name, t.Number)].Add(t);
                    }

                    _lists = [.. lists.Select(l => l.AsReadOnly())];
                    _source = all;
                }

                return _lists[bracket];
            }
        }
    }
}
