using Hone.Artifacts;
using Hone.Trials;

namespace Hone.Population;

/// <summary>
/// One segment of a population member's training, handed to the objective: train from <see cref="LoadCheckpoint"/> (or
/// from scratch when it is null) for steps <see cref="StartStep"/> to <see cref="EndStep"/> with the hyperparameters the
/// <see cref="Trial"/> suggests, save a checkpoint, and return the member's score.
/// </summary>
public sealed class PbtSegment
{
    internal PbtSegment(Trial trial, int member, int generation, int startStep, int endStep, int? parentTrial, int? exploitedMember)
    {
        Trial = trial;
        Member = member;
        Generation = generation;
        StartStep = startStep;
        EndStep = endStep;
        ParentTrial = parentTrial;
        ExploitedMember = exploitedMember;
    }

    /// <summary>The segment's trial: suggest the hyperparameters from it (they are fixed to what PBT chose), report on it.</summary>
    public Trial Trial { get; }

    /// <summary>The population member, from 0.</summary>
    public int Member { get; }

    /// <summary>The member's segment count so far, from 0.</summary>
    public int Generation { get; }

    /// <summary>The first training step of the segment (the step the checkpoint to load was taken at).</summary>
    public int StartStep { get; }

    /// <summary>The step the segment trains up to (excluded), and the step its checkpoint is saved at.</summary>
    public int EndStep { get; }

    /// <summary>The trial whose checkpoint this segment starts from, or null for a member's first segment.</summary>
    public int? ParentTrial { get; }

    /// <summary>The member this segment exploited (copied weights and hyperparameters from), or null.</summary>
    public int? ExploitedMember { get; }

    /// <summary>The parent's latest intact checkpoint, or null: train from scratch.</summary>
    public Checkpoint? LoadCheckpoint() => Trial.LoadCheckpoint();

    /// <summary>Saves the segment's checkpoint at <see cref="EndStep"/>; without one this member can never be copied.</summary>
    public CheckpointRecord SaveCheckpoint(Stream content) => Trial.SaveCheckpoint(EndStep, content);

    /// <inheritdoc/>
    public override string ToString() =>
        $"member {Member}, generation {Generation}, steps {StartStep}–{EndStep}" + (ExploitedMember is { } e ? $", exploited member {e}" : "");
}
