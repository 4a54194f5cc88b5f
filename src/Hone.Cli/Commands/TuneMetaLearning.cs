using System.Globalization;
using System.Text.Json;
using Hone.Cli.Sweep;
using Hone.MLNet.MetaLearning;
using Hone.Storage;
using Hone.Studies;

namespace Hone.Cli.Commands;

/// <summary><c>hone tune --meta-learn [--meta-learn-storage URL]</c>: the portfolio of earlier studies, and the line that says what a study drew from.</summary>
internal static class TuneMetaLearning
{
    /// <summary>
    /// The portfolio of the studies in --meta-learn-storage (default: the tuning storage) that recorded meta-features;
    /// null without --meta-learn. An empty one is no error: the tuner warns and tunes without it.
    /// </summary>
    public static Portfolio? PortfolioFor(bool metaLearn, string? storageText, IStorage store)
    {
        if (!metaLearn)
        {
            return null;
        }

        var source = store;
        if (storageText is not null)
        {
            var url = SweepReader.ResolveStorage(storageText, Environment.CurrentDirectory);
            source = StorageFactory.Open(url);
        }

        return Portfolio.FromStorage(source);
    }

    /// <summary>"meta-learning: nearest earlier datasets ...; started from ..." when the study was meta-learned, else null.</summary>
    public static string? Describe(Study study)
    {
        if (!study.UserAttrs.TryGetValue(Portfolio.SourcesKey, out var record) || record.ValueKind != JsonValueKind.Object
            || !record.TryGetProperty("neighbours", out var neighbours) || neighbours.GetArrayLength() == 0)
        {
            return null;
        }

        var near = string.Join(", ", neighbours.EnumerateArray().Select(n =>
            string.Create(CultureInfo.InvariantCulture, $"{n.GetProperty("dataset").GetString()} (distance {n.GetProperty("distance").GetDouble():0.00})")));
        var configurations = record.TryGetProperty("configurations", out var c) ? c.EnumerateArray().ToArray() : [];
        var from = string.Join(", ", configurations.Select(x =>
            $"{x.GetProperty("trainer").GetString()} from {x.GetProperty("study").GetString()} trial {x.GetProperty("trial").GetInt32()}"));
        return $"meta-learning: nearest earlier datasets {near}; first {configurations.Length} trial(s) queued: {from}";
    }
}
