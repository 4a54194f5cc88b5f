namespace Hone.Population;

/// <summary>Settings of <see cref="PopulationBasedTraining"/>; defaults as in Jaderberg et al. (2017) and Ray Tune.</summary>
public sealed class PbtOptions
{
    /// <summary>How many members train side by side.</summary>
    /// <value>8.</value>
    public int PopulationSize { get; init; } = 8;

    /// <summary>Training steps per segment: every member is ranked, and may exploit and explore, after this many steps.</summary>
    /// <value>100.</value>
    public int Interval { get; init; } = 100;

    /// <summary>Segments each member trains; a member's training is <see cref="Generations"/> × <see cref="Interval"/> steps.</summary>
    /// <value>10.</value>
    public int Generations { get; init; } = 10;

    /// <summary>
    /// The fraction of ranked members in the bottom (which exploit) and in the top (which are copied). As in Ray Tune the
    /// count is rounded up and capped at half the ranked members.
    /// </summary>
    /// <value>0.25.</value>
    public double Quantile { get; init; } = 0.25;

    /// <summary>How explore chooses the new hyperparameters: PBT's random perturbation or PB2's GP bandit.</summary>
    /// <value><see cref="PbtExploreMethod.Perturb"/>.</value>
    /// <remarks>
    /// With <see cref="PbtExploreMethod.Pb2"/>, until the study holds two segments that continued from a parent with
    /// different score changes (the first interval), explore perturbs as PBT does; <see cref="PerturbFactors"/> also serve
    /// then. <see cref="ResampleProbability"/> applies to categorical hyperparameters, which PB2 does not model.
    /// </remarks>
    public PbtExploreMethod Explore { get; init; } = PbtExploreMethod.Perturb;

    /// <summary>The probability that explore draws a hyperparameter afresh from its distribution instead of perturbing it.</summary>
    /// <value>0.25.</value>
    public double ResampleProbability { get; init; } = 0.25;

    /// <summary>The factors a perturbed value is multiplied by, one chosen at random.</summary>
    /// <value>0.8 and 1.2.</value>
    public IReadOnlyList<double> PerturbFactors { get; init; } = [0.8, 1.2];

    /// <summary>The hyperparameters explore may change.</summary>
    /// <value>Null: every parameter the objective suggests. Others (an architecture, say) are copied as they are.</value>
    public IReadOnlySet<string>? Mutations { get; init; }

    /// <summary>How often a member's segment may fail at one generation before the member is given up.</summary>
    /// <value>3.</value>
    public int MaxSegmentFailures { get; init; } = 3;

    /// <summary>The seed of the exploit and explore draws; null draws one.</summary>
    public int? Seed { get; init; }

    /// <summary>
    /// When set, checkpoints no member can start from again are deleted after each segment
    /// (<see cref="Artifacts.StudyCheckpoints.CleanCheckpoints"/>): the latest segment of every member is always kept.
    /// </summary>
    /// <value>Null: every checkpoint is kept.</value>
    public Artifacts.CheckpointRetention? Retention { get; init; }

    /// <summary>Called with each segment's trial once it is finished (complete, pruned or failed), e.g. to show progress.</summary>
    public Action<Trials.FrozenTrial>? SegmentFinished { get; init; }

    /// <summary>How long a worker with no free member waits before looking again.</summary>
    /// <value>50 ms.</value>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    internal void Validate()
    {
        var problems = new List<string>();
        if (PopulationSize < 2)
        {
            problems.Add($"PopulationSize is {PopulationSize}; a population needs at least 2 members");
        }

        if (Interval < 1)
        {
            problems.Add($"Interval is {Interval}; it must be at least 1 step");
        }

        if (Generations < 1)
        {
            problems.Add($"Generations is {Generations}; it must be at least 1");
        }

        if (!(Quantile > 0 && Quantile <= 0.5))
        {
            problems.Add($"Quantile is {Quantile}; it must be in (0, 0.5]");
        }

        if (!(ResampleProbability >= 0 && ResampleProbability <= 1))
        {
            problems.Add($"ResampleProbability is {ResampleProbability}; it must be in [0, 1]");
        }

        if (PerturbFactors is null || PerturbFactors.Count == 0 || PerturbFactors.Any(f => !(f > 0) || !double.IsFinite(f)))
        {
            problems.Add("PerturbFactors must be one or more positive finite numbers");
        }

        if (!Enum.IsDefined(Explore))
        {
            problems.Add($"Explore is {(int)Explore}; it must be Perturb or Pb2");
        }

        if (MaxSegmentFailures < 1)
        {
            problems.Add($"MaxSegmentFailures is {MaxSegmentFailures}; it must be at least 1");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid population-based training options: {string.Join("; ", problems)}.");
        }
    }
}
