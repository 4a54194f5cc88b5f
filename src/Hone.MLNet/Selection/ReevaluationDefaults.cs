namespace Hone.MLNet.Selection;

/// <summary>The defaults of re-evaluation (<see cref="Tuning.TuneOptions.ReevaluateTop"/>), in one place.</summary>
public static class ReevaluationDefaults
{
    /// <summary>
    /// Re-evaluation is on by default when the tuning rows (after the test split) are at most this many. With a few
    /// hundred rows a validation fold holds a few dozen rows, so the noise of a cross-validated score is as large as the
    /// differences between the best configurations, the best of many trials is chosen largely for its luck on these
    /// folds (the winner's curse), and one fit takes milliseconds; with many thousand rows the fold noise shrinks as
    /// one over the square root of the rows while every fit costs more, so the extra fits buy less.
    /// </summary>
    public const int AutomaticMaxRows = 2_000;

    /// <summary>How many of the best distinct configurations are re-evaluated when on by default.</summary>
    public const int Top = 5;

    /// <summary>How many fresh splits (each the run's validation strategy with a new shuffle seed) they are scored on.</summary>
    public const int Repeats = 2;

    /// <summary>
    /// The significance level of the racing rule: after each repeat but the last, a configuration whose paired t-test
    /// against the leader, over the fresh folds so far, gives a two-sided p-value below this (the leader being better)
    /// is dropped.
    /// </summary>
    public const double Alpha = 0.05;

    /// <summary>
    /// When re-evaluation is on by default (not asked for with a count), its estimated CPU time may be at most this share
    /// of the CPU time the tuning trials used: each candidate is estimated at its own trial's CPU time per repeat, and
    /// candidates that would go over are left out, the study's best excepted. One-versus-all tree ensembles on ten classes
    /// cost a hundred times a linear model's fit; without the cap, racing five of them on fresh folds can take longer than
    /// the whole search.
    /// </summary>
    public const double MaxCostShare = 0.25;

    /// <summary>Repeat r (1, 2, ...) splits the tuning rows with the seed <c>TuneSeeds.Folds + SeedStride × r</c>.</summary>
    public const int SeedStride = 1_000;

    /// <summary>How many configurations to re-evaluate: the requested count, or automatically <see cref="Top"/> for at most <see cref="AutomaticMaxRows"/> tuning rows and 0 above.</summary>
    public static int TopFor(int? requested, int tuningRows) => requested ?? (tuningRows <= AutomaticMaxRows ? Top : 0);
}
