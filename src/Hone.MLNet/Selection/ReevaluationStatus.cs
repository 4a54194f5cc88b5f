namespace Hone.MLNet.Selection;

/// <summary>How a re-evaluated configuration left the race.</summary>
public enum ReevaluationStatus
{
    /// <summary>The best mean over the fresh folds: the configuration refit and tested.</summary>
    Winner,

    /// <summary>Scored on every fresh fold, but not the best.</summary>
    Survived,

    /// <summary>Dropped after a repeat: significantly worse than the leader over the fresh folds so far.</summary>
    Eliminated,

    /// <summary>A fit failed or scored a non-finite value on a fresh fold (the reason is kept).</summary>
    Failed,
}
