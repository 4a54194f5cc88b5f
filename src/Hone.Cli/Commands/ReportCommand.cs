using System.CommandLine;
using Hone.Report.Html;
using Hone.Studies;

namespace Hone.Cli.Commands;

/// <summary>
/// <c>hone report</c>: writes one self-contained HTML file for a study (summary, best trial, <c>hone tune</c>'s
/// statistics where present, the improvement estimate and every plot), which opens offline in any browser.
/// </summary>
internal static class ReportCommand
{
    public static void Add(RootCommand root, CliContext context)
    {
        var target = new StudyTarget();
        var output = new Option<string>("--out", "-o") { Description = "The HTML file to write (default: report.html).", DefaultValueFactory = _ => "report.html" };
        var summary = new Option<string?>("--summary") { Description = "A JSON run summary to include, such as the summary.json hone tune writes." };
        var command = new Command("report", "Write a self-contained HTML report of a study: summary, best trial, stopping estimate and every plot.") { output, summary };
        target.AddTo(command);
        command.SetAction(parse =>
        {
            string? summaryJson = null;
            if (parse.GetValue(summary) is { } summaryPath)
            {
                if (!File.Exists(summaryPath))
                {
                    throw new UsageException($"--summary: there is no file {summaryPath}");
                }

                summaryJson = File.ReadAllText(summaryPath);
            }

            var study = target.Load(parse);
            var path = Path.GetFullPath(parse.GetValue(output)!);
            if (Path.GetDirectoryName(path) is { } folder && !Directory.Exists(folder))
            {
                throw new UsageException($"--out: the folder {folder} does not exist");
            }

            Write(study, path, summaryJson);
            context.Output.WriteLine($"Wrote {parse.GetValue(output)} ({study.Trials.Count} trials of study \"{study.Name}\")");
            return ExitCodes.Ok;
        });
        root.Add(command);
    }

    /// <summary>Writes the report of <paramref name="study"/> to <paramref name="path"/>.</summary>
    public static void Write(Study study, string path, string? summaryJson = null) =>
        File.WriteAllText(path, HtmlReport.Render(study, new ReportOptions { RunSummaryJson = summaryJson }));
}
