using System.Runtime.CompilerServices;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Samplers.CmaEs;

/// <summary>
/// The covariance matrix adaptation evolution strategy, (μ/μ_w, λ)-CMA-ES (Hansen, "The CMA Evolution Strategy: A
/// Tutorial", arXiv:1604.00772): samples a generation of λ candidates from a multivariate normal distribution, and moves
/// its mean, step size and covariance towards the best μ of them. Strong on continuous problems with a few to a few
/// dozen parameters and budgets of hundreds of trials or more.
/// </summary>
/// <remarks>
/// <para>The search runs in the unit box: each numeric parameter is mapped to [0, 1] (log parameters in log space,
/// integer and stepped ones with half a step of padding at each end). The first mean is the box's centre and the step
/// size <see cref="CmaEsSamplerOptions.Sigma0"/> of the range, or, with <see cref="CmaEsSamplerOptions.SourceTrials"/>
/// (a related study's trials) or <see cref="CmaEsSamplerOptions.WarmStart"/> (this study's trials from another sampler,
/// such as a GP or TPE phase before CMA-ES takes over), mean, step size and covariance are WS-CMA-ES's estimate from the
/// best of those trials (Nomura et al. 2021). A candidate outside the box is redrawn up to ten times, then clipped to
/// the box. Integer and stepped parameters are rounded to their grid, with the margin of Hamano et al. (2022): a
/// per-parameter factor on the step and a mean correction keep the chance of leaving the current value at least
/// 1/(nλ) (<see cref="CmaEsSamplerOptions.WithMargin"/>); log-scaled integers, whose cells differ in width, are rounded
/// without a margin. With <see cref="CmaEsSamplerOptions.LearningRateAdaptation"/>, the learning rates of the mean and
/// covariance follow the signal-to-noise ratio of their updates (LRA-CMA-ES, Nomura, Akimoto and Ono 2023), for noisy and
/// multimodal objectives.</para>
/// <para>The sampler writes nothing but three system attributes per trial (<c>cma:generation</c>, <c>cma:index</c>,
/// <c>cma:space</c>) and keeps no state of its own that the study's trials do not determine: it rebuilds the search by
/// replaying the completed generations. A generation is told once λ of its trials are complete (the first λ to
/// complete); candidate k of generation g depends only on the seed, g, k and the replayed state, so another process, or
/// a resumed study, with the same seed continues the same generation. Trials without these attributes (another
/// sampler's, added or enqueued ones), or with values of another shape, are never taken for the sampler's own. Each new
/// trial takes the next candidate index of the current generation, so workers of one process never duplicate a
/// candidate; across processes two trials can take the same index only when they start at the same moment.</para>
/// <para>The joint space is the numeric parameters every complete trial has with the same distribution. Categorical
/// parameters, parameters outside that space, every trial while the space has fewer than two parameters (as in
/// Optuna), and multi-objective studies go to <see cref="CmaEsSamplerOptions.IndependentSampler"/>. Failed and pruned
/// trials are ignored.</para>
/// <para>Restarts (<see cref="CmaEsSamplerOptions.Restart"/>) follow IPOP (Auger and Hansen 2005) and BIPOP (Hansen
/// 2009) when a standard termination criterion holds; without them a converged run goes on sampling around its mean.
/// Learning rates and margin factors are part of the replayed state, so a resumed study or another process continues
/// them exactly.</para>
/// </remarks>
public sealed class CmaEsSampler : ISampler
{
    private readonly ConditionalWeakTable<Study, CmaEsStudyState> _states = [];
    private readonly CmaEsSamplerOptions _options;
    private readonly ISampler _independent;

    /// <summary>Creates the sampler.</summary>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names every one.</exception>
    public CmaEsSampler(CmaEsSamplerOptions? options = null)
    {
        options ??= new CmaEsSamplerOptions();
        var problems = options.Problems();
        if (problems is not null)
        {
            throw new ArgumentException($"Invalid CmaEsSamplerOptions: {problems}", nameof(options));
        }

        _options = options;
        Seed = options.Seed ?? SeededRandom.NewSeed();
        _independent = options.IndependentSampler ?? new RandomSampler(Seed);
    }

    /// <summary>The seed in use.</summary>
    public long Seed { get; }

    /// <inheritdoc/>
    public void BeforeTrial(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        _independent.BeforeTrial(study, trial);
        if (study.IsMultiObjective)
        {
            return;
        }

        var state = StateOf(study);
        CmaEsStudyState.Assignment assignment;
        lock (state.Gate)
        {
            state.Refresh(study.GetTrialsForSampling(trial), study.Direction == StudyDirection.Maximize);
            if (state.Space is null)
            {
                return;
            }

            assignment = state.Assign(trial.Number);
        }

        study.SetTrialSystemAttr(trial, CmaEsStudyState.SpaceKey, assignment.Space.HashJson);
        study.SetTrialSystemAttr(trial, CmaEsStudyState.GenerationKey, JsonNumbers.Of(assignment.Generation));
        study.SetTrialSystemAttr(trial, CmaEsStudyState.IndexKey, JsonNumbers.Of(assignment.Index));
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        var state = StateOf(study);
        lock (state.Gate)
        {
            return state.TryGetAssignment(trial.Number, out var a) ? a.Space : NoRelativeSpace.Space;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(searchSpace);
        if (searchSpace is not CmaEsSearchSpace space)
        {
            return NoRelativeSpace.Sample;
        }

        var state = StateOf(study);
        CmaEsStudyState.Assignment? a;
        lock (state.Gate)
        {
            if (!state.TryGetAssignment(trial.Number, out a) || !ReferenceEquals(a.Space, space))
            {
                return NoRelativeSpace.Sample;
            }
        }

        var result = new Dictionary<string, double>(space.Count, StringComparer.Ordinal);
        for (var i = 0; i < space.Count; i++)
        {
            result[space.Names[i]] = space.FromUnit(i, a.Point[i]);
        }

        return result;
    }

    /// <inheritdoc/>
    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution) =>
        _independent.SampleIndependent(study, trial, name, distribution);

    /// <inheritdoc/>
    public void AfterTrial(Study study, FrozenTrial trial, TrialState state, IReadOnlyList<double>? values)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        _independent.AfterTrial(study, trial, state, values);
    }

    /// <summary>The replayed state for a study, for tests.</summary>
    internal CmaEsStudyState StateOf(Study study) => _states.GetValue(study, _ => new CmaEsStudyState(Seed, _options));
}
