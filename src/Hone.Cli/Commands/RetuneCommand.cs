using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Hone.Cli.Output;
using Hone.Cli.Sweep;
using Hone.MLNet;
using Hone.MLNet.Data;
using Hone.MLNet.Metrics;
using Hone.MLNet.Retuning;
using Hone.MLNet.Tuning;
using Hone.Storage;
using Hone.Studies;
using Hone.Trials;
using Microsoft.ML;

namespace Hone.Cli.Commands;

/// <summary>
/// <c>hone retune --from STUDY --data NEW.csv</c>: re-tuning in production. Tests whether the new data has moved from the
/// data the study was tuned on (per-column KS / chi-squared, Holm-corrected, and a score-drop check of the study's best
/// model), and when it has, tunes a new study on the new data warm-started from the old one and linked to it, and
/// reports old against new on the new data (<see cref="Retuner"/>). The exit code says which, so a cron job can run it.
/// </summary>
internal static class RetuneCommand
{
    public static void Add(RootCommand root, CliContext context)
    {
        var from = new Option<string>("--from") { Description = "The study the deployed model was tuned in (by hone tune).", Required = true };
        var data = new Option<string>("--data") { Description = "The new CSV file.", Required = true };
        var storage = new Option<string>("--storage")
        {
            Description = "Storage URL of the --from study; the new study is created there too.",
            DefaultValueFactory = _ => "sqlite:///hone.db",
        };
        var reference = new Option<string?>("--reference")
        {
            Description = "The CSV file the study was tuned on (default: the file hone tune recorded, if it still exists unchanged).",
        };
        var trials = CommandLineValues.WholeNumber("--trials", "-n", 1, int.MaxValue, 50, "Trials of the new study (the old study's 3 best configurations run first).");
        var alpha = CommandLineValues.Fraction("--alpha", 0.0000001, 1, 0.05, "Significance level of the column shift tests, after Holm's correction.");
        var maxDrop = CommandLineValues.Fraction("--max-drop", 0, double.MaxValue, 0.02,
            "Tolerated loss of the metric (its units): the score has dropped when the whole 95% CI of the old model's score on the new data is worse than its old CV mean by more than this.");
        var force = new Option<bool>("--force") { Description = "Re-tune even if no column has shifted and the score has not dropped." };
        var jobs = CommandLineValues.WholeNumber("--jobs", "-j", 1, 1024, Math.Max(1, Environment.ProcessorCount), "Trials at once (default: one per core).");
        var output = new Option<string?>("--out", "-o") { Description = "Folder for the new model.zip, summary.json and report.html (default: out/<new study name>)." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print no trial progress." };
        var retune = new Command("retune",
            "Check whether new data has moved from the data a study was tuned on (column shift tests, score drop of its best model); if so, tune a linked, warm-started study on it and compare old and new. Exit 5 when it moved, 0 when not.")
        {
            from, data, storage, reference, trials, alpha, maxDrop, force, jobs, output, quiet,
        };
        retune.SetAction(parse =>
        {
            var o = context.Output;
            var name = parse.GetValue(from)!;
            var newPath = parse.GetValue(data)!;
            if (!File.Exists(newPath))
            {
                throw new NotFoundException($"--data: file \"{newPath}\" does not exist (looked for {Path.GetFullPath(newPath)})");
            }

            var storageUrl = SweepReader.ResolveStorage(parse.GetValue(storage)!, Environment.CurrentDirectory);
            var shownUrl = StorageFactory.Display(storageUrl);
            if (StudyTarget.SqliteFile(storageUrl) is { } dbPath && !File.Exists(dbPath))
            {
                throw new NotFoundException($"--storage: there is no database file {dbPath}. " + NearbyDatabases.Describe(dbPath, null));
            }

            IStorage store;
            try
            {
                store = StorageFactory.Open(storageUrl);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--storage: {Messages.Of(e)}", e);
            }

            if (store.FindStudy(name) is not { } studyId)
            {
                var known = store.GetAllStudies().Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
                throw new NotFoundException($"--from: {shownUrl} has no study \"{name}\"" +
                    (known.Count == 0 ? "; it has no studies" : $"; its studies are {string.Join(", ", known)}"));
            }

            var attrs = store.GetStudyUserAttrs(studyId);
            if (!attrs.TryGetValue("hone.mlnet", out var settings) || settings.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException($"--from: study \"{name}\" was not made by hone tune, so there is no model to check; re-tune studies that hone tune made");
            }

            var oldPath = ReferencePath(parse.GetValue(reference), attrs, name);
            var oldData = DriftCommand.Load(oldPath, "--reference");
            var newData = DriftCommand.Load(newPath, "--data");
            CheckColumns(settings, name, oldData, newData, oldPath);

            var study = Study.Load(new StudyOptions { Name = name, Storage = store });
            var retuner = new Retuner(new MLContext(0));
            var hash = TuneCommand.Sha256(newPath);
            var options = new RetuneOptions
            {
                Alpha = parse.GetValue(alpha),
                MaxDrop = parse.GetValue(maxDrop),
                Force = parse.GetValue(force),
                Trials = parse.GetValue(trials),
                Parallelism = parse.GetValue(jobs),
                Storage = store,
                Progress = parse.GetValue(quiet) ? null : new TuneProgressLines(o),
                StudyUserAttrs = new Dictionary<string, object?>
                {
                    [TuneCommand.DataFileKey] = Path.GetFileName(newPath),
                    [TuneCommand.DataPathKey] = Path.GetFullPath(newPath),
                    [TuneCommand.DataHashKey] = hash,
                },
            };

            RetuneCheck check;
            try
            {
                check = retuner.Check(study, oldData, newData, options, context.Interrupt);
            }
            catch (OperationCanceledException) when (context.Interrupt.IsCancellationRequested)
            {
                context.Error.WriteLine("hone: interrupted before anything was tuned");
                return ExitCodes.Interrupted;
            }

            WriteCheck(o, check, oldPath, newPath);
            if (!check.ShouldRetune)
            {
                return ExitCodes.Ok;
            }

            if (!parse.GetValue(quiet))
            {
                o.WriteLine($"Re-tuning on {newPath}: {options.Trials} trials warm-started from study \"{name}\" (its 3 best configurations run first)");
            }

            RetuneResult result;
            try
            {
                result = retuner.Retune(check, options, context.Interrupt);
            }
            catch (OperationCanceledException) when (context.Interrupt.IsCancellationRequested)
            {
                context.Error.WriteLine($"hone: interrupted; the new study's trials so far are in {shownUrl}");
                return ExitCodes.Interrupted;
            }
            catch (InvalidOperationException e) when (e.Message.StartsWith("No trial completed", StringComparison.Ordinal))
            {
                context.Error.WriteLine($"hone: every trial of the re-tune failed: {Messages.Of(e)}");
                return ExitCodes.AllTrialsFailed;
            }

            foreach (var warning in result.Tuning.Warnings)
            {
                context.Error.WriteLine($"hone: warning: {warning}");
            }

            var newName = result.Tuning.Study.Name;
            o.WriteLine();
            o.Write(result.FormatReport());
            var outDir = parse.GetValue(output) ?? Path.Combine("out", newName);
            Directory.CreateDirectory(outDir);
            var modelPath = Path.Combine(outDir, "model.zip");
            var summaryPath = Path.Combine(outDir, "summary.json");
            var reportPath = Path.Combine(outDir, "report.html");
            result.Tuning.SaveModel(modelPath);
            var summaryJson = result.ToJson();
            File.WriteAllText(summaryPath, summaryJson);
            ReportCommand.Write(result.Tuning.Study, reportPath, summaryJson);
            o.WriteLine($"Saved {modelPath}, {summaryPath} and {reportPath}");
            o.WriteLine($"hone: new study \"{newName}\" (re-tunes \"{name}\") in {shownUrl}; list its trials with: hone trials --storage {shownUrl} --study-name {newName}");
            return check.Moved ? ExitCodes.Shifted : ExitCodes.Ok;
        });
        root.Add(retune);
    }

    /// <summary>
    /// The old data: --reference when given; otherwise the file hone tune recorded, if it still exists with the same
    /// content hash. Anything else is an error that says to pass --reference.
    /// </summary>
    private static string ReferencePath(string? given, IReadOnlyDictionary<string, JsonElement> attrs, string study)
    {
        string? Attr(string key) => attrs.TryGetValue(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var recordedHash = Attr(TuneCommand.DataHashKey);
        if (given is not null)
        {
            if (!File.Exists(given))
            {
                throw new NotFoundException($"--reference: file \"{given}\" does not exist (looked for {Path.GetFullPath(given)})");
            }

            return given;
        }

        var recorded = Attr(TuneCommand.DataPathKey);
        if (recorded is null)
        {
            var file = Attr(TuneCommand.DataFileKey);
            throw new UsageException($"study \"{study}\" does not record where its data file is" +
                (file is null ? string.Empty : $" (only its name, {file})") + "; pass --reference OLD.csv, the file it was tuned on");
        }

        if (!File.Exists(recorded))
        {
            throw new NotFoundException($"study \"{study}\" was tuned on {recorded}, which no longer exists; pass --reference OLD.csv, the file it was tuned on");
        }

        if (recordedHash is not null && TuneCommand.Sha256(recorded) != recordedHash)
        {
            throw new UsageException($"study \"{study}\" was tuned on {recorded} (sha256 {recordedHash[..12]}...), but that file has changed since; pass --reference OLD.csv, the data it was tuned on");
        }

        return recorded;
    }

    /// <summary>The label and the feature columns of the study must be in both files; a missing one is named.</summary>
    private static void CheckColumns(JsonElement settings, string study, TabularData oldData, TabularData newData, string oldPath)
    {
        var label = settings.TryGetProperty("label", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString()! : "target";
        var ignored = settings.TryGetProperty("ignore", out var i) && i.ValueKind == JsonValueKind.Array
            ? i.EnumerateArray().Select(e => e.GetString()).ToHashSet(StringComparer.Ordinal)
            : [];
        if (!oldData.ColumnNames.Contains(label))
        {
            throw new UsageException($"--reference: {oldPath} has no column \"{label}\", the label study \"{study}\" was tuned with; its columns are {string.Join(", ", oldData.ColumnNames)}");
        }

        var needed = oldData.ColumnNames.Where(c => !ignored.Contains(c)).ToList();
        var missing = needed.Where(c => !newData.ColumnNames.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw new UsageException($"--data: {newData.Source} lacks {(missing.Count == 1 ? "column" : "columns")} {string.Join(", ", missing.Select(c => $"\"{c}\""))}, " +
                $"which study \"{study}\" was tuned with (label \"{label}\"); its columns are {string.Join(", ", newData.ColumnNames)}");
        }
    }

    private static void WriteCheck(TextWriter o, RetuneCheck check, string oldPath, string newPath)
    {
        var m = check.Metric.ShortName();
        var d = check.Drop;
        static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
        o.WriteLine($"hone: checking study \"{check.OldStudyName}\" (best trial #{check.OldBestTrialNumber}, {check.OldBestTrainer}; {check.Task.ShortName()}, {m}) on new data");
        DriftCommand.WriteTable(o, $"{newPath} ({check.NewRows} rows) against {oldPath} ({check.OldRows} rows)", check.Shifts, check.Alpha);
        var worse = check.Metric.Direction() == StudyDirection.Maximize ? "below" : "above";
        o.WriteLine($"Score drop: the best configuration refit on the old tuning rows scores {m} {F(d.NewValue)} [95% bootstrap CI {F(d.NewCiLow)}, {F(d.NewCiHigh)}] on the {d.NewRows} new rows; " +
            $"old cross-validated mean {F(d.ReferenceMean)} [{F(d.ReferenceCiLow)}, {F(d.ReferenceCiHigh)}]" +
            (d.OldTestValue is { } t ? $", old test {F(t)}" : string.Empty));
        o.WriteLine(d.Significant
            ? $"  dropped: the whole interval lies {worse} the old mean by more than --max-drop {F(d.MaxDrop)} (drop {F(d.Drop)})"
            : $"  not dropped: the interval does not lie wholly {worse} the old mean − --max-drop {F(d.MaxDrop)} (drop {F(d.Drop)})");
        o.WriteLine($"Decision: {check.Decision}");
    }
}
