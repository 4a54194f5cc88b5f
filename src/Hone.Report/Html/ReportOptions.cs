using Hone.Analysis.Stopping;
using Hone.Report.Plots;

namespace Hone.Report.Html;

/// <summary>Settings of <see cref="HtmlReport"/>.</summary>
public sealed class ReportOptions
{
    /// <summary>The plots' settings.</summary>
    /// <value>The defaults of <see cref="PlotOptions"/>.</value>
    public PlotOptions Plots { get; init; } = new();

    /// <summary>The improvement estimate's settings (studies with one objective).</summary>
    /// <value>The defaults of <see cref="ImprovementEstimateOptions"/> (Optuna Terminator's).</value>
    public ImprovementEstimateOptions Stopping { get; init; } = new();

    /// <summary>A JSON document to show as the run's summary, such as the summary.json that <c>hone tune</c> writes; null for none.</summary>
    /// <value>Null.</value>
    public string? RunSummaryJson { get; init; }

    /// <summary>The time the report says it was made at.</summary>
    /// <value>Null: the current UTC time.</value>
    public DateTime? Now { get; init; }
}
