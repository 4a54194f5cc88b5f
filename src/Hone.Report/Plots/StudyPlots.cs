using Hone.Analysis.Importance;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Report.Plots;

/// <summary>
/// The Plotly figures of a study, the set Optuna's <c>optuna.visualization</c> offers: optimization history,
/// intermediate values, parallel coordinates, slice, contour, empirical distribution, rank, timeline, parameter
/// importance, and for several objectives the Pareto front and hypervolume history. Conditional parameters are
/// handled: a trial without a parameter is left out of that parameter's panel, not of the plot.
/// </summary>
public static class StudyPlots
{
    /// <summary>The kinds of plot, in the order <see cref="All"/> returns them.</summary>
    public static IReadOnlyList<string> Kinds { get; } =
        ["history", "intermediate", "parallel", "slice", "contour", "edf", "rank", "timeline", "importance", "pareto", "hypervolume"];

    /// <summary>Every plot that applies to the study (a study without reports has no intermediate-values plot, one objective no Pareto front).</summary>
    public static IReadOnlyList<StudyFigure> All(Study study, PlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(study);
        var (input, importance) = Prepare(study, options ?? new PlotOptions());
        return [.. Kinds.Select(k => Build(input, importance, k, options)).OfType<StudyFigure>()];
    }

    /// <summary>One plot, or null when it does not apply to the study.</summary>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is not one of <see cref="Kinds"/>.</exception>
    public static StudyFigure? Build(Study study, string kind, PlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(study);
        if (!Kinds.Contains(kind))
        {
            throw new ArgumentException($"Unknown plot \"{kind}\"; the plots are {string.Join(", ", Kinds)}.", nameof(kind));
        }

        var needsImportance = kind is "importance" or "slice" or "rank" or "contour";
        var (input, importance) = Prepare(study, options ?? new PlotOptions(), needsImportance);
        return Build(input, importance, kind, options);
    }

    private static (PlotInput Input, ImportanceResult? Importance) Prepare(Study study, PlotOptions options, bool importance = true)
    {
        if (options.MaxPoints < 1)
        {
            throw new ArgumentException($"PlotOptions.MaxPoints must be 1 or more, not {options.MaxPoints}.", nameof(options));
        }

        var input = new PlotInput(study, options.MaxPoints);
        var result = importance && options.Importance ? Importance(study, input, options.Seed) : null;
        if (result is not null)
        {
            var ranked = result.Parameters.OrderByDescending(p => p.Importance).Select(p => p.Name).ToList();
            input.Ranked = [.. ranked, .. input.ParamNames.Except(ranked)];
        }

        return (input, result);
    }

    /// <summary>fANOVA on the shared parameters, or null when it cannot be computed (too few trials, no shared parameter).</summary>
    private static ImportanceResult? Importance(Study study, PlotInput input, int seed)
    {
        if (input.CompleteCount < 2 || input.ParamNames.Count == input.Conditional.Count)
        {
            return null;
        }

        try
        {
            return ParameterImportance.Evaluate(study, new ImportanceOptions { Seed = seed });
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static StudyFigure? Build(PlotInput input, ImportanceResult? importance, string kind, PlotOptions? options) => kind switch
    {
        "history" => OptimizationHistoryPlot.Build(input),
        "intermediate" => IntermediateValuesPlot.Build(input),
        "parallel" => ParallelCoordinatePlot.Build(input),
        "slice" => SlicePlot.Build(input),
        "contour" => ContourPlot.Build(input),
        "edf" => EdfPlot.Build(input),
        "rank" => RankPlot.Build(input),
        "timeline" => TimelinePlot.Build(input, options?.Now ?? DateTime.UtcNow),
        "importance" => ImportancePlot.Build(importance),
        "pareto" => ParetoFrontPlot.Build(input),
        "hypervolume" => HypervolumeHistoryPlot.Build(input),
        _ => null,
    };
}
