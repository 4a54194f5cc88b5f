using System.Globalization;

namespace Hone.MLNet.Selection;

/// <summary>
/// The race that chose the configuration to refit: the best trials by their tuning score, scored again on fresh
/// splits of the same tuning rows (the test rows are never touched), the clearly worse dropped after each repeat, and
/// the winner taken by its mean on the fresh folds alone. It also measures the winner's curse: how much better the
/// study's best trial looked on the tuning folds, which chose it, than on folds that did not.
/// </summary>
/// <remarks>
/// This is the intensification of SMAC (Hutter, Hoos and Leyton-Brown 2011, "Sequential Model-Based Optimization for
/// General Algorithm Configuration") and racing (Maron and Moore 1994; Birattari et al. 2002, "A Racing Algorithm for
/// Configuring Metaheuristics"), applied once after the search: the tuning score of the best of many trials is biased
/// upwards by selection (Cawley and Talbot 2010, "On Over-fitting in Model Selection and Subsequent Selection Bias in
/// Performance Evaluation"), and scores on folds that took no part in the selection are not.
/// </remarks>
public sealed class ReevaluationResult
{
    internal ReevaluationResult()
    {
    }

    /// <summary>How many configurations were asked for (fewer raced when the study had fewer distinct complete trials).</summary>
    public required int Top { get; init; }

    /// <summary>How many fresh splits were planned.</summary>
    public required int Repeats { get; init; }

    /// <summary>Folds per fresh split (the validation strategy's fold count).</summary>
    public required int FoldsPerRepeat { get; init; }

    /// <summary>The shuffle seed of each fresh split, repeat after repeat (never the tuning folds' seed).</summary>
    public required IReadOnlyList<int> FoldSeeds { get; init; }

    /// <summary>The raced configurations, by tuning rank (the study's best trial first).</summary>
    public required IReadOnlyList<ReevaluatedCandidate> Candidates { get; init; }

    /// <summary>The trial refit and tested: the best mean over the fresh folds; null when every fresh fit failed (the study's best trial is then refit).</summary>
    public required int? WinnerTrialNumber { get; init; }

    /// <summary>The study's best trial by its tuning score, the one refit without re-evaluation.</summary>
    public required int TopTrialNumber { get; init; }

    /// <summary>Whether re-evaluation chose another trial than the study's best.</summary>
    public bool WinnerChanged => WinnerTrialNumber is { } w && w != TopTrialNumber;

    /// <summary>
    /// The winner's-curse gap: the study's best trial's tuning score minus its mean on the fresh folds, signed so that a
    /// positive gap means the tuning score was optimistic (for a metric minimised, the fresh mean minus the tuning score).
    /// NaN when it has no fresh score.
    /// </summary>
    public required double Gap { get; init; }

    /// <summary>The lower end of the gap's 95% percentile-bootstrap interval (the fresh fold scores resampled; folds of one split share rows, so it is somewhat narrow).</summary>
    public required double GapCiLow { get; init; }

    /// <summary>The upper end of that interval.</summary>
    public required double GapCiHigh { get; init; }

    /// <summary>How many fresh folds the gap is measured on.</summary>
    public required int GapFolds { get; init; }

    /// <summary>Fits spent on re-evaluation (each is one fold of one configuration).</summary>
    public required int Fits { get; init; }

    /// <summary>Folds a tuning trial is scored on, to express <see cref="Fits"/> in trials.</summary>
    public required int FoldsPerTrial { get; init; }

    /// <summary><see cref="Fits"/> in complete trials' worth of fits.</summary>
    public double TrialsWorth => FoldsPerTrial == 0 ? 0 : (double)Fits / FoldsPerTrial;

    /// <summary>Wall time of re-evaluation.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>The racing rule, in words.</summary>
    public static string Rule => string.Create(CultureInfo.InvariantCulture,
        $"after each repeat but the last, drop a configuration whose paired t-test against the leader over the fresh folds so far gives p < {ReevaluationDefaults.Alpha} (leader better); the winner is the best mean over the fresh folds only (the tuning folds chose the candidates, so they are left out)");
}
