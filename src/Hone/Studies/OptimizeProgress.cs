using Hone.Trials;

namespace Hone.Studies;

/// <summary>A report after each trial of an optimize run.</summary>
/// <param name="TrialsFinished">Trials this run has finished so far.</param>
/// <param name="TrialsPlanned">The run's trial budget, if it has one.</param>
/// <param name="LastTrial">The trial that just finished.</param>
/// <param name="BestValue">The best value among this study's completed trials (single objective), if any.</param>
/// <param name="Elapsed">Time since the run started.</param>
public readonly record struct OptimizeProgress(
    int TrialsFinished, int? TrialsPlanned, FrozenTrial LastTrial, double? BestValue, TimeSpan Elapsed);
