namespace Hone.Cli.Running;

/// <summary>
/// What a program learns about its population-based-training segment: the checkpoint to start from (null: from
/// scratch), where to write the new one, and the steps to train (<see cref="StartStep"/> to <see cref="EndStep"/>).
/// </summary>
internal sealed record SegmentFiles(string? CheckpointIn, string CheckpointOut, int StartStep, int EndStep);
