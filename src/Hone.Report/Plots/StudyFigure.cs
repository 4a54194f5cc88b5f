using System.Text.Json.Nodes;

namespace Hone.Report.Plots;

/// <summary>
/// One plot of a study as a Plotly figure: its kind (such as <c>history</c> or <c>slice</c>), a title, and the figure's
/// JSON (<c>{"data": [...], "layout": {...}}</c>) that <c>Plotly.newPlot(element, figure.data, figure.layout)</c> draws.
/// </summary>
public sealed class StudyFigure
{
    private readonly JsonObject _figure;

    internal StudyFigure(string kind, string title, JsonArray data, JsonObject layout, string? note = null)
    {
        Kind = kind;
        Title = title;
        Note = note;
        layout["title"] = new JsonObject { ["text"] = title };
        layout["autosize"] ??= true;
        layout["margin"] ??= new JsonObject { ["l"] = 60, ["r"] = 30, ["t"] = 50, ["b"] = 50 };
        _figure = new JsonObject { ["data"] = data, ["layout"] = layout };
    }

    /// <summary>The kind of plot, one of <see cref="StudyPlots.Kinds"/>.</summary>
    public string Kind { get; }

    /// <summary>The title shown above the plot.</summary>
    public string Title { get; }

    /// <summary>A remark on what the plot leaves out (for example conditional parameters), or null.</summary>
    public string? Note { get; }

    /// <summary>The Plotly figure as JSON.</summary>
    public string ToJson() => _figure.ToJsonString();
}
