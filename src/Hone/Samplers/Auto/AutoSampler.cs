using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Hone.Distributions;
using Hone.Samplers.CmaEs;
using Hone.Samplers.Gp;
using Hone.Samplers.Nsga;
using Hone.Samplers.Tpe;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Samplers.Auto;

/// <summary>
/// The default sampler: chooses, for each trial, the algorithm that suits the study's search space, its number of
/// trials and what it has seen so far, so a user can leave it on everywhere. The rule is fixed, documented in
/// docs/core.md, and the choice of each trial is recorded in its <c>auto:sampler</c> system attribute.
/// </summary>
/// <remarks>
/// <para>The rule, applied before each trial to the study's finished trials (the first that holds wins):</para>
/// <list type="number">
/// <item>Multi-objective studies: <see cref="AutoSamplerChoice.Tpe"/>, which is multi-objective TPE there (Ozaki et al.
/// 2020), as in Optuna's AutoSampler: it led NSGA-II by a wide margin at 100 and 300 trials on ZDT1–3 and DTLZ2 and was
/// within 2 % or ahead at 1,000 (docs/benchmarks.md). <see cref="NsgaIISampler"/> is the explicit choice for long runs
/// (it costs microseconds a trial).</item>
/// <item>A conditional space — finished trials differ in which parameters they have — goes to the multivariate, grouped
/// <see cref="TpeSampler"/>, which models each group of parameters on the trials that have it.</item>
/// <item>A study where more trials were pruned than completed (a pruner decides most trials) goes to TPE, which ranks
/// pruned trials by their last report; a Gaussian process learns from complete trials only.</item>
/// <item>A static space of at most <see cref="AutoSamplerOptions.GaussianProcessMaxDimensions"/> parameters with fewer
/// than <see cref="AutoSamplerOptions.GaussianProcessTrials"/> complete trials, where the search has not stalled (see
/// <see cref="AutoSamplerOptions.GaussianProcessPatience"/>): <see cref="GpSampler"/>, the most sample-efficient while
/// trials are few (it starts quasi-random). Categorical parameters have their own kernel. A study warm-started from
/// earlier trials (<see cref="AutoSamplerOptions.WarmStartTrials"/>) goes to TPE instead, which takes them as a prior.</item>
/// <item>Past that, a space of two or more numeric parameters and no categorical one: <see cref="CmaEsSampler"/>,
/// warm-started from the trials so far (WS-CMA-ES), cheap per trial and strong on long continuous runs.</item>
/// <item>Otherwise TPE.</item>
/// </list>
/// <para>Before the first trial finishes the space is unknown and the Gaussian process's quasi-random start is used. The
/// rule depends only on the study's trials, so processes sharing a study agree, and it is stable: conditional stays
/// conditional and counts only grow. Each algorithm is seeded from <see cref="AutoSamplerOptions.Seed"/>, and each
/// keeps its state in the study's trials, so a resumed study continues where it was. The design follows Optuna's
/// AutoSampler (OptunaHub), with a Gaussian process that also takes categorical parameters and a rule for pruned studies.</para>
/// </remarks>
public sealed class AutoSampler : ISampler
{
    /// <summary>The trial system attribute holding the algorithm chosen for the trial (<c>gp</c>, <c>tpe</c>, <c>cmaes</c> or <c>random</c>).</summary>
    public const string ChoiceKey = "auto:sampler";

    private const int GpStartupTrials = 10;

    private readonly ConditionalWeakTable<Study, StudyState> _states = [];
    private readonly AutoSamplerOptions _options;
    private readonly GpSampler _gp;
    private readonly TpeSampler _tpe;
    private readonly CmaEsSampler _cmaEs;
    private readonly RandomSampler _random;
    private readonly NsgaIISampler _nsga;

    /// <summary>Creates the sampler.</summary>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names every one.</exception>
    public AutoSampler(AutoSamplerOptions? options = null)
    {
        options ??= new AutoSamplerOptions();
        if (options.Problems() is { } problems)
        {
            throw new ArgumentException($"Invalid AutoSamplerOptions: {problems}", nameof(options));
        }

        _options = options;
        Seed = options.Seed ?? SeededRandom.NewSeed();
        _random = new RandomSampler(Seed);
        _gp = new GpSampler(new GpSamplerOptions { Seed = Seed, StartupTrials = GpStartupTrials, IndependentSampler = _random });
        _tpe = new TpeSampler(new TpeSamplerOptions
        {
            Seed = Seed, Multivariate = true, Group = true, ConstantLiar = true, WarmStartTrials = options.WarmStartTrials,
        });
        _cmaEs = new CmaEsSampler(new CmaEsSamplerOptions
        {
            Seed = Seed, WarmStart = true, IndependentSampler = _random, SourceTrials = options.WarmStartTrials is { Count: > 0 } w ? w : null,
        });

        // Uniform crossover: ahead of SBX on ZDT1, ZDT2 and DTLZ2 (docs/benchmarks.md), and Optuna's default.
        _nsga = new NsgaIISampler(new NsgaIISamplerOptions { Seed = Seed, Crossover = NsgaCrossover.Uniform, IndependentSampler = _random });
    }

    /// <summary>The seed in use.</summary>
    public long Seed { get; }

    /// <summary>The algorithm this sampler would choose for the next trial of <paramref name="study"/>, by the rule above.</summary>
    public AutoSamplerChoice Choose(Study study)
    {
        ArgumentNullException.ThrowIfNull(study);
        if (study.IsMultiObjective)
        {
            return AutoSamplerChoice.Tpe;
        }

        var shape = _states.GetValue(study, _ => new StudyState()).Shape;
        lock (shape.Gate)
        {
            shape.Maximize = study.Direction == StudyDirection.Maximize;
            shape.StallStart = GpStartupTrials;
            shape.StallWindow = _options.GaussianProcessPatience ?? (10 + (2 * shape.Space.Count));
            shape.Update(study.GetTrials());
            return Choose(shape, _options);
        }
    }

    internal static AutoSamplerChoice Choose(StudyShape shape, AutoSamplerOptions options)
    {
        if (shape.Conditional || shape.Pruned > shape.Complete
            || (options.WarmStartTrials is { Count: > 0 } && shape.Complete < options.GaussianProcessTrials))
        {
            return AutoSamplerChoice.Tpe;
        }

        var dimensions = shape.Space.Count;
        if (dimensions <= options.GaussianProcessMaxDimensions && shape.Complete < options.GaussianProcessTrials && !shape.Stalled)
        {
            return AutoSamplerChoice.GaussianProcess;
        }

        var numeric = shape.Space.Values.Count(d => d is not CategoricalDistribution);
        return numeric >= 2 && numeric == dimensions ? AutoSamplerChoice.CmaEs : AutoSamplerChoice.Tpe;
    }

    /// <inheritdoc/>
    public void BeforeTrial(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        var choice = Choose(study);
        _states.GetValue(study, _ => new StudyState()).Choices[trial.TrialId] = choice;
        study.SetTrialSystemAttr(trial, ChoiceKey, NameOf(choice));
        SamplerFor(choice).BeforeTrial(study, trial);
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial) =>
        SamplerOf(study, trial).InferRelativeSearchSpace(study, trial);

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, double> SampleRelative(
        Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace) =>
        SamplerOf(study, trial).SampleRelative(study, trial, searchSpace);

    /// <inheritdoc/>
    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution) =>
        SamplerOf(study, trial).SampleIndependent(study, trial, name, distribution);

    /// <inheritdoc/>
    public void AfterTrial(Study study, FrozenTrial trial, TrialState state, IReadOnlyList<double>? values)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        var sampler = SamplerOf(study, trial);
        if (_states.TryGetValue(study, out var states))
        {
            states.Choices.TryRemove(trial.TrialId, out _);
        }

        sampler.AfterTrial(study, trial, state, values);
    }

    /// <summary>The name recorded in <see cref="ChoiceKey"/> for a choice.</summary>
    public static string NameOf(AutoSamplerChoice choice) => choice switch
    {
        AutoSamplerChoice.GaussianProcess => "gp",
        AutoSamplerChoice.Tpe => "tpe",
        AutoSamplerChoice.CmaEs => "cmaes",
        AutoSamplerChoice.Random => "random",
        AutoSamplerChoice.NsgaII => "nsga2",
        _ => throw new ArgumentOutOfRangeException(nameof(choice), choice, "Unknown choice."),
    };

    private ISampler SamplerFor(AutoSamplerChoice choice) => choice switch
    {
        AutoSamplerChoice.GaussianProcess => _gp,
        AutoSamplerChoice.Tpe => _tpe,
        AutoSamplerChoice.CmaEs => _cmaEs,
        AutoSamplerChoice.NsgaII => _nsga,
        _ => _random,
    };

    private ISampler SamplerOf(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        if (_states.TryGetValue(study, out var states) && states.Choices.TryGetValue(trial.TrialId, out var choice))
        {
            return SamplerFor(choice);
        }

        // A trial this object did not start (told through another Study object, or sampled after a restart): the
        // recorded choice, else the rule's.
        if (trial.SystemAttrs.TryGetValue(ChoiceKey, out var recorded) && recorded.ValueKind == System.Text.Json.JsonValueKind.String)
        {
            foreach (var known in Enum.GetValues<AutoSamplerChoice>())
            {
                if (NameOf(known) == recorded.GetString())
                {
                    return SamplerFor(known);
                }
            }
        }

        return SamplerFor(Choose(study));
    }

    private sealed class StudyState
    {
        public StudyShape Shape { get; } = new();

        public ConcurrentDictionary<long, AutoSamplerChoice> Choices { get; } = new();
    }
}
