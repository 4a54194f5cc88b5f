namespace Hone.Samplers.Tpe;

/// <summary>Settings of a <see cref="TpeSampler"/>. The defaults are Optuna's, except <see cref="Multivariate"/>.</summary>
public sealed class TpeSamplerOptions
{
    /// <summary>The seed of the sampler's random draws (and of the default <see cref="IndependentSampler"/>).</summary>
    /// <value>Null: a random seed.</value>
    public long? Seed { get; init; }

    /// <summary>How many finished (complete or pruned) trials are sampled by <see cref="IndependentSampler"/> before TPE's model is used.</summary>
    /// <value>10. Must be 0 or more.</value>
    public int StartupTrials { get; init; } = 10;

    /// <summary>How many candidates are drawn from the model of the good trials, l(x); the one with the largest l(x)/g(x) is proposed.</summary>
    /// <value>24. Must be 1 or more.</value>
    public int EiCandidates { get; init; } = 24;

    /// <summary>Whether parameters that every finished trial has are modelled jointly (multivariate kernels) rather than one by one.</summary>
    /// <value>True (Optuna's default is false; the joint model is the more sample-efficient, Falkner et al. 2018, Watanabe 2023).</value>
    /// <remarks>
    /// Parameters outside the joint search space (conditional ones, or ones whose range changed) are still sampled
    /// by the univariate TPE. Set false for Optuna's default behaviour.
    /// </remarks>
    public bool Multivariate { get; init; } = true;

    /// <summary>
    /// Whether a conditional search space is split into groups of parameters that always appear together, each
    /// modelled jointly on the trials that have it. Requires <see cref="Multivariate"/>.
    /// </summary>
    /// <value>False.</value>
    public bool Group { get; init; }

    /// <summary>
    /// Whether running trials count as observations with the worst possible value, so that parallel workers do
    /// not propose the same point.
    /// </summary>
    /// <value>False. Not used for multi-objective studies (as in Optuna 3.1).</value>
    public bool ConstantLiar { get; init; }

    /// <summary>
    /// Trials of earlier studies (with the same objective direction) that the sampler treats as a down-weighted prior on
    /// the good region: the best of them, chosen by the same <see cref="Gamma"/> rule as the study's own good trials, join
    /// the good-trial estimator l(x) with weight <see cref="WarmStartWeight"/> each, so the first trials already sample
    /// near them, and the study's own trials, at weight 1 each, take over as they accumulate. The other source trials
    /// are not used: a converged source has most of them near its optimum, and as "bad" observations they would repel
    /// the search from it. A parameter is taken from a source trial only when its
    /// distribution is compatible with this study's and its value lies inside this study's range; the count of usable
    /// source trials also counts towards <see cref="StartupTrials"/>. Multi-objective studies ignore them.
    /// </summary>
    /// <value>None.</value>
    /// <remarks>
    /// The scheme is in the spirit of transfer TPE (Watanabe, Awad, Onishi and Hutter 2023, "Speeding up Multi-Objective
    /// Hyperparameter Optimization by Task Similarity-Based Meta-Learning for the Tree-Structured Parzen Estimator"),
    /// with a fixed task weight instead of a learned similarity.
    /// </remarks>
    public IReadOnlyList<Trials.FrozenTrial>? WarmStartTrials { get; init; }

    /// <summary>The weight of each <see cref="WarmStartTrials"/> observation, relative to a study trial's weight of at most 1.</summary>
    /// <value>0.5. Must be in (0, 1].</value>
    public double WarmStartWeight { get; init; } = 0.5;

    /// <summary>Whether each estimator has a prior component: a wide kernel centred on the search space (uniform for categoricals).</summary>
    /// <value>True.</value>
    /// <remarks>
    /// With <see cref="Multivariate"/>, the prior also smooths every observation's kernel one parameter at a time, with
    /// the share <see cref="PriorWeight"/> / (n + 1 + <see cref="PriorWeight"/>) that categorical kernels give it, so
    /// that the joint model can propose a point that differs from the good ones in a single coordinate.
    /// </remarks>
    public bool ConsiderPrior { get; init; } = true;

    /// <summary>The weight of the prior component, relative to an observation's weight of at most 1.</summary>
    /// <value>1.0. Must be a positive finite number.</value>
    public double PriorWeight { get; init; } = 1.0;

    /// <summary>
    /// Whether kernel bandwidths have a floor: range / min(100, n + 1) for the univariate estimator (Bergstra's
    /// "magic clip"), range / 100 for the multivariate one.
    /// </summary>
    /// <value>True.</value>
    public bool ConsiderMagicClip { get; init; } = true;

    /// <summary>Whether the univariate estimator counts the ends of the range as neighbours of the outermost observations when it sets their bandwidth.</summary>
    /// <value>False.</value>
    public bool ConsiderEndpoints { get; init; }

    /// <summary>Given the number of finished trials n, how many of the best form the "good" set, l(x).</summary>
    /// <value><see cref="DefaultGamma"/>: min(⌈0.1·n⌉, 25).</value>
    /// <remarks>Trials tied in value are never split between good and bad: when a tie straddles the boundary, the
    /// good set shrinks to the strictly better trials (or, when the best value itself is tied, grows to the whole
    /// tie, or is empty when every trial is tied); see <see cref="TpeSampler"/>.</remarks>
    public Func<int, int> Gamma { get; init; } = DefaultGamma;

    /// <summary>
    /// Given a number of observations n, their weights in the estimator, oldest first (at least n non-negative
    /// finite values, not all zero).
    /// </summary>
    /// <value><see cref="DefaultWeights"/>: all 1 up to 25 observations, then a ramp from 1/n to 1 for the older ones and 1 for the newest 25.</value>
    public Func<int, double[]> Weights { get; init; } = DefaultWeights;

    /// <summary>The sampler used during the startup trials.</summary>
    /// <value>Null: a <see cref="RandomSampler"/> with <see cref="Seed"/>.</value>
    public ISampler? IndependentSampler { get; init; }

    /// <summary>Optuna's default gamma: min(⌈0.1·n⌉, 25).</summary>
    public static int DefaultGamma(int n) => Math.Min((int)Math.Ceiling(0.1 * n), 25);

    /// <summary>Hyperopt's gamma: min(⌈0.25·√n⌉, 25).</summary>
    public static int HyperoptGamma(int n) => Math.Min((int)Math.Ceiling(0.25 * Math.Sqrt(n)), 25);

    /// <summary>Optuna's default weights: 1 for up to 25 observations; beyond, a linear ramp from 1/n to 1 over the oldest n − 25 and 1 for the newest 25.</summary>
    public static double[] DefaultWeights(int n)
    {
        if (n <= 0)
        {
            return [];
        }

        var w = new double[n];
        if (n < 25)
        {
            Array.Fill(w, 1.0);
            return w;
        }

        var ramp = n - 25;
        var start = 1.0 / n;
        for (var i = 0; i < ramp; i++)
        {
            w[i] = ramp == 1 ? start : start + ((1.0 - start) * i / (ramp - 1));
        }

        for (var i = ramp; i < n; i++)
        {
            w[i] = 1.0;
        }

        return w;
    }

    /// <summary>Says everything that is wrong with these options, or null when they are valid.</summary>
    public string? Problems()
    {
        var problems = new List<string>();
        if (StartupTrials < 0)
        {
            problems.Add($"StartupTrials must be 0 or more, got {StartupTrials}.");
        }

        if (EiCandidates < 1)
        {
            problems.Add($"EiCandidates must be 1 or more, got {EiCandidates}.");
        }

        if (!(PriorWeight > 0) || !double.IsFinite(PriorWeight))
        {
            problems.Add($"PriorWeight must be a positive finite number, got {PriorWeight}.");
        }

        if (!(WarmStartWeight > 0 && WarmStartWeight <= 1))
        {
            problems.Add($"WarmStartWeight must be in (0, 1], got {WarmStartWeight}.");
        }

        if (WarmStartTrials is not null && WarmStartTrials.Any(t => t is null))
        {
            problems.Add("WarmStartTrials must not hold null trials.");
        }

        if (Group && !Multivariate)
        {
            problems.Add("Group = true needs Multivariate = true (groups are sampled jointly).");
        }

        if (Gamma is null)
        {
            problems.Add("Gamma must not be null; use TpeSamplerOptions.DefaultGamma.");
        }

        if (Weights is null)
        {
            problems.Add("Weights must not be null; use TpeSamplerOptions.DefaultWeights.");
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }
}
