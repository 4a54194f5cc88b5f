namespace Hone.Report;

/// <summary>
/// The plotly.js library (the npm package plotly.js-dist-min, MIT licence) embedded in this assembly at build time, so
/// reports and the dashboard draw their plots offline: no page loads a script from a CDN.
/// </summary>
public static class PlotlyBundle
{
    private static readonly Lazy<string> LazyScript = new(() => Resource("Hone.Report.plotly.min.js"));

    /// <summary>The minified plotly.js source.</summary>
    public static string Script => LazyScript.Value;

    internal static string Resource(string name)
    {
        using var stream = typeof(PlotlyBundle).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The resource {name} is missing from Hone.Report; the build did not embed it.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
