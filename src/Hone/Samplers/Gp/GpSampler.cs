using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Hone.Distributions;
using Hone.Samplers.Qmc;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Samplers.Gp;

/// <summary>
/// Bayesian optimisation with a Gaussian process: models the objective with a GP (Matérn-5/2 kernel with a length scale
/// per parameter, a Hamming distance for categoricals) fitted to the complete trials, and proposes the point that
/// maximises the log expected improvement. The strongest choice for small budgets (tens to a couple of hundred trials)
/// of expensive objectives with a fixed set of numeric and categorical parameters; its cost grows as the cube of the
/// number of trials.
/// </summary>
/// <remarks>
/// <para><b>Model.</b> Inputs in the unit cube (log parameters in log space; integer and stepped ones relaxed to a
/// continuous coordinate and rounded to their grid when proposed; categoricals compared for equality, not as ordinals,
/// as in Optuna's GPSampler). Outputs standardised, optionally warped (<see cref="GpSamplerOptions.WarpOutput"/>,
/// Yeo–Johnson as in HEBO). Kernel hyperparameters (length scales, signal variance, noise) are the maximum a posteriori
/// estimate under the dimension-scaled log-normal length-scale prior of Hvarfner, Hellsten and Nardi ("Vanilla Bayesian
/// Optimization Performs Great in High Dimensions", ICML 2024), with Optuna's gamma priors on the signal and noise
/// variances, found by L-BFGS-B (Byrd et al. 1995) from the previous suggestion's estimate. They are refitted for every
/// suggestion while there are at most 64 observations, then each time the data has grown by 5%; in between, new
/// observations extend the Cholesky factor of the kernel matrix.</para>
/// <para><b>Acquisition.</b> Log expected improvement over the best observed value, computed stably far in the tail
/// (Ament et al., "Unexpected Improvements to Expected Improvement for Bayesian Optimization", NeurIPS 2023). It is
/// maximised by scoring <see cref="GpSamplerOptions.Candidates"/> scrambled Sobol points, then refining the best
/// <see cref="GpSamplerOptions.LocalSearches"/> of them and the three best observed points by L-BFGS-B on the continuous
/// coordinates alternated with a search of the neighbouring grid values and the other categories.</para>
/// <para><b>Several objectives.</b> One independent GP per objective (each with its own hyperparameters), and the
/// acquisition is the log expected hypervolume improvement over the Pareto front of the feasible trials, computed exactly
/// from a box decomposition of the region the front does not dominate (Daulton, Balandat and Bakshy, "Differentiable
/// Expected Hypervolume Improvement for Parallel Multi-Objective Bayesian Optimization", NeurIPS 2020; in log space as
/// in Ament et al. 2023), with the reference point 10% beyond the worst standardised value of each objective, as
/// Optuna's GPSampler. The decomposition has (k + 1)^(M−1) boxes for k front points and M objectives: exact and cheap for
/// two and three objectives; beyond 20,000 boxes (four or more objectives with a large front) an evenly spaced subset of
/// the front is used.</para>
/// <para><b>Constraints.</b> Constraint values (<see cref="Trial.SetConstraint"/>, <see cref="StudyOptions.Constraints"/>;
/// ≤ 0 satisfied) are modelled by one GP each, and the acquisition adds the log probability that each is satisfied
/// (Gardner et al., "Bayesian Optimization with Inequality Constraints", ICML 2014), as Optuna's GPSampler does; the
/// incumbent, or the front, is taken over the feasible trials only. Until a trial is feasible, the sampler maximises the
/// probability of feasibility alone.</para>
/// <para><b>Trials.</b> The first <see cref="GpSamplerOptions.StartupTrials"/> complete trials are quasi-random (a
/// scrambled, seeded <see cref="QmcSampler"/>). The joint space is the parameters every complete trial has with the same
/// distribution (numeric and categorical); the others (conditional parameters, parameters asked with another
/// distribution) go to <see cref="GpSamplerOptions.IndependentSampler"/>. Failed and
/// pruned trials are ignored (a pruned trial's last intermediate value is not its objective); NaN values are ignored;
/// infinite values are clipped to the range of the finite ones. When every value is tied (a flat objective, so far) the
/// GP has nothing to say and the trial takes a quasi-random point instead, so the search keeps exploring.</para>
/// <para><b>Parallel workers.</b> Trials still running, the ones this sampler proposed and those other processes stored
/// with their parameters, are taken into account by the Kriging believer heuristic (Ginsbourger, Le Riche and Carraro
/// 2010): the model conditions on each at its posterior mean, which removes its uncertainty there, so concurrent trials
/// are proposed different points. The sampler is thread-safe; suggestions for one study are computed one at a time.</para>
/// <para><b>Reproducibility.</b> Everything depends only on the seed, the trials and the order in which the sampler saw
/// them: a seeded study run by one worker is reproducible. A fresh sampler on a resumed study refits from scratch, so it
/// may not continue exactly as the original would have.</para>
/// </remarks>
public sealed class GpSampler : ISampler
{
    private readonly ConditionalWeakTable<Study, ConcurrentDictionary<int, GpStudyState>> _states = [];
    private readonly GpSamplerOptions _options;
    private readonly ISampler _independent;
    private readonly QmcSampler _startup;

    /// <summary>Creates the sampler.</summary>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names every one.</exception>
    public GpSampler(GpSamplerOptions? options = null)
    {
        options ??= new GpSamplerOptions();
        var problems = options.Problems();
        if (problems is not null)
        {
            throw new ArgumentException($"Invalid GpSamplerOptions: {problems}", nameof(options));
        }

        _options = options;
        Seed = options.Seed ?? SeededRandom.NewSeed();
        _independent = options.IndependentSampler ?? new RandomSampler(Seed);
        _startup = new QmcSampler(new QmcSamplerOptions { Seed = Seed, Scramble = true, IndependentSampler = _independent });
    }

    /// <summary>The seed in use.</summary>
    public long Seed { get; }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        var (state, trials) = StateFor(study, trial);
        GpSearchSpace space;
        int complete;
        lock (state.Gate)
        {
            space = state.InferSpace(trials);
            complete = state.CompleteCount;
        }

        return complete < Math.Max(1, _options.StartupTrials) ? _startup.InferRelativeSearchSpace(study, trial) : space;
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(searchSpace);
        if (searchSpace is not GpSearchSpace space)
        {
            return _startup.SampleRelative(study, trial, searchSpace);
        }

        if (space.Count == 0)
        {
            return NoRelativeSpace.Sample;
        }

        var (state, trials) = StateFor(study, trial);
        double[]? point;
        lock (state.Gate)
        {
            point = state.Propose(space, trials, trial, [.. study.Directions.Select(d => d == StudyDirection.Maximize)]);
        }

        if (point is null)
        {
            return _startup.SampleRelative(study, trial, space);
        }

        var result = new Dictionary<string, double>(space.Count, StringComparer.Ordinal);
        for (var i = 0; i < space.Count; i++)
        {
            result[space.Names[i]] = space.Decode(i, point[i]);
        }

        return result;
    }

    /// <inheritdoc/>
    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution) =>
        _independent.SampleIndependent(study, trial, name, distribution);

    /// <inheritdoc/>
    public void BeforeTrial(Study study, FrozenTrial trial) => _independent.BeforeTrial(study, trial);

    /// <inheritdoc/>
    public void AfterTrial(Study study, FrozenTrial trial, TrialState state, IReadOnlyList<double>? values)
    {
        // The proposal made to this trial stays a fantasy until a trial list shows the trial finished: another
        // worker's list, taken before this trial ended, may still show it running without its parameters.
        _independent.AfterTrial(study, trial, state, values);
    }

    /// <summary>The sampler's state for the trials <paramref name="trial"/> learns from, for tests.</summary>
    internal (GpStudyState State, IReadOnlyList<FrozenTrial> Trials) StateFor(Study study, FrozenTrial trial)
    {
        var trials = study.GetTrialsForSampling(trial, out var partition);
        var state = _states
            .GetValue(study, static _ => new ConcurrentDictionary<int, GpStudyState>())
            .GetOrAdd(partition ?? -1, static (_, s) => new GpStudyState(s.Seed, s._options), this);
        return (state, trials);
    }
}
