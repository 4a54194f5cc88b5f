using System.CommandLine;
using System.Globalization;
using Hone.Analysis.Refinement;
using Hone.Cli.Sweep;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;
using YamlDotNet.RepresentationModel;

namespace Hone.Cli.Commands;

/// <summary>
/// <c>hone refine SWEEP</c>: coarse-to-fine search. Narrows each numeric range of a sweep to its study's best trials
/// (<see cref="RangeRefinement"/>), writes the narrowed sweep file with a new study name, and creates that study linked
/// to the old one, ready for <c>hone optimize</c>.
/// </summary>
internal static class RefineCommand
{
    /// <summary>The study user attribute that records where a refined study's ranges came from.</summary>
    public const string RefinedFromKey = "hone.refined_from";

    public static void Add(RootCommand root, CliContext context)
    {
        var sweepArg = new Argument<string>("sweep") { Description = "The sweep file (YAML) whose study has run." };
        var quantile = CommandLineValues.Fraction("--quantile", 0, 1.000001, 0.25, "The share of complete trials, best first, whose span becomes the new range.");
        var margin = CommandLineValues.Fraction("--margin", 0, 1.000001, 0.1, "Room added on each side, as a fraction of the old range (log space for log parameters).");
        var studyName = new Option<string?>("--study-name") { Description = "The new study (default: <study>-refined)." };
        var output = new Option<string?>("--out", "-o") { Description = "Where to write the narrowed sweep file (default: <sweep>.refined.yaml beside it)." };
        var storage = new Option<string?>("--storage") { Description = "Storage URL (overrides the sweep's storage)." };
        var refine = new Command("refine", "Narrow a sweep's numeric ranges around its study's best trials and set up a new linked study to search them (coarse to fine).")
        {
            sweepArg, quantile, margin, studyName, output, storage,
        };
        refine.SetAction(parse =>
        {
            var path = parse.GetValue(sweepArg)!;
            var sweep = OptimizeCommands.Load(path, parse.GetValue(storage));
            var options = new RangeRefinementOptions { Quantile = parse.GetValue(quantile), Margin = parse.GetValue(margin) };
            if (!(options.Quantile > 0))
            {
                throw new UsageException("--quantile 0: it must be a fraction above 0 and at most 1, e.g. 0.25");
            }

            if (sweep.Directions.Count > 1)
            {
                throw new UsageException($"{path}: the study has {sweep.Directions.Count} objectives; hone refine narrows around the best trials of one");
            }

            var shownUrl = StorageFactory.Display(sweep.Storage);
            var store = StorageFactory.Open(sweep.Storage);
            if (store.FindStudy(sweep.StudyName) is null)
            {
                throw new NotFoundException($"study \"{sweep.StudyName}\" is not in {shownUrl}; run hone optimize {path} first");
            }

            using var study = Study.Load(new StudyOptions { Name = sweep.StudyName, Storage = store });
            var complete = study.GetTrials(TrialState.Complete).Count;
            if (complete < options.MinTopTrials)
            {
                throw new UsageException($"study \"{sweep.StudyName}\" has {complete} complete trial(s); refining needs at least {options.MinTopTrials}");
            }

            var newName = parse.GetValue(studyName) ?? sweep.StudyName + "-refined";
            if (store.FindStudy(newName) is not null)
            {
                throw new UsageException($"study \"{newName}\" already exists in {shownUrl}; choose another with --study-name");
            }

            var declared = sweep.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            var ranges = RangeRefinement.Refine(study, options).Where(r => declared.Contains(r.Name)).ToList();
            var outPath = parse.GetValue(output) ?? Path.Combine(sweep.Directory, Path.GetFileNameWithoutExtension(sweep.Path) + ".refined.yaml");
            File.WriteAllText(outPath, Rewrite(sweep.Text, newName, ranges));

            using var refined = Study.Create(new StudyOptions { Name = newName, Directions = sweep.Directions, Storage = store });
            refined.SetUserAttr(RefinedFromKey, new Dictionary<string, object?>
            {
                ["study"] = sweep.StudyName,
                ["complete_trials"] = complete,
                ["quantile"] = options.Quantile,
                ["margin"] = options.Margin,
                ["ranges"] = ranges.Where(r => r.Narrowed).ToDictionary(r => r.Name, r => (object?)Bounds(r.After)),
            });

            var o = context.Output;
            o.WriteLine(FormattableString.Invariant(
                $"study \"{sweep.StudyName}\": {complete} complete trials; each range narrowed to the best {options.Quantile:0.##} of them plus {options.Margin:0.##} of the old range on each side"));
            foreach (var r in ranges)
            {
                o.WriteLine(r.Narrowed
                    ? $"  {r.Name}: {r.Before} -> {r.After} ({r.TopTrials} good trials)"
                    : $"  {r.Name}: kept {r.Before} ({r.Reason ?? "the good trials span it"})");
            }

            o.WriteLine($"wrote {outPath} (study \"{newName}\", created in {shownUrl} and linked to \"{sweep.StudyName}\")");
            o.WriteLine($"run it with: hone optimize {outPath}");
            return ExitCodes.Ok;
        });
        root.Add(refine);
    }

    private static double[] Bounds(Distribution d) => d switch
    {
        FloatDistribution f => [f.Low, f.High],
        IntDistribution i => [i.Low, i.High],
        _ => [],
    };

    /// <summary>The sweep's text with the new study name and the narrowed bounds (comments are not kept).</summary>
    private static string Rewrite(string text, string newName, IReadOnlyList<RefinedRange> ranges)
    {
        var yaml = new YamlStream();
        using (var reader = new StringReader(text))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        root.Children[new YamlScalarNode("study")] = new YamlScalarNode(newName);
        var parameters = (YamlMappingNode)root.Children[new YamlScalarNode("parameters")];
        foreach (var r in ranges.Where(r => r.Narrowed))
        {
            if (parameters.Children[new YamlScalarNode(r.Name)] is YamlMappingNode spec && Bounds(r.After) is [var low, var high])
            {
                spec.Children[new YamlScalarNode("low")] = new YamlScalarNode(Number(low, r.After));
                spec.Children[new YamlScalarNode("high")] = new YamlScalarNode(Number(high, r.After));
            }
        }

        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        yaml.Save(writer, assignAnchors: false);
        return writer.ToString().TrimEnd().TrimEnd('.').TrimEnd() + Environment.NewLine;
    }

    private static string Number(double value, Distribution d) =>
        d is IntDistribution ? ((long)value).ToString(CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture);
}
