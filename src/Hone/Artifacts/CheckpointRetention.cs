namespace Hone.Artifacts;

/// <summary>Which checkpoints of finished trials <see cref="StudyCheckpoints.CleanCheckpoints"/> keeps.</summary>
public sealed class CheckpointRetention
{
    /// <summary>How many of its latest checkpoints a finished trial keeps.</summary>
    /// <value>1: the one it would resume from.</value>
    public int KeepLatestPerTrial { get; init; } = 1;

    /// <summary>
    /// When set, only the best this many complete trials (and trials still needed: continued by a waiting or running
    /// trial, or protected by the caller) keep checkpoints; every other finished trial loses all of them.
    /// </summary>
    /// <value>Null: every finished trial keeps <see cref="KeepLatestPerTrial"/>.</value>
    public int? KeepBestTrials { get; init; }

    internal void Validate()
    {
        if (KeepLatestPerTrial < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(KeepLatestPerTrial), KeepLatestPerTrial, "CheckpointRetention.KeepLatestPerTrial must be 0 or more.");
        }

        if (KeepBestTrials is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(KeepBestTrials), KeepBestTrials, "CheckpointRetention.KeepBestTrials must be 0 or more, or null to keep every trial's latest.");
        }
    }
}
