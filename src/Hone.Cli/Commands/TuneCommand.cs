using System.CommandLine;
using System.Globalization;
using Hone.Cli.Sweep;
using Hone.MLNet;
using Hone.MLNet.Data;
using Hone.MLNet.Metrics;
using Hone.MLNet.Tuning;
using Hone.MLNet.Validation;
using Hone.Trials;
using Microsoft.ML;

namespace Hone.Cli.Commands;

/// <summary><c>hone tune</c>: tune an ML.NET model on a CSV file (Hone.MLNet), with the study in a storage.</summary>
internal static class TuneCommand
{
    public static void Add(RootCommand root, CliContext context)
    {
        var data = new Option<string>("--data") { Description = "The CSV file (optionally .gz).", Required = true };
        var label = new Option<string>("--label") { Description = "The label column.", DefaultValueFactory = _ => "target" };
        var task = new Option<string>("--task") { Description = "binary, multiclass or regression.", DefaultValueFactory = _ => "binary" };
        var metric = new Option<string?>("--metric") { Description = "auc, accuracy, logloss, f1, macro-accuracy, rmse, mae or r2 (default: the task's)." };
        var trials = new Option<int>("--trials", "-n") { Description = "Trials the study should have (complete or pruned; a resumed study is topped up).", DefaultValueFactory = _ => 50 };
        var trainers = new Option<string?>("--trainers") { Description = "Trainers to choose among, comma-separated (default: all for the task)." };
        var validation = new Option<string?>("--validation") { Description = "stratified:5, kfold:5, repeated:5:2, holdout:0.2 or time:5." };
        var testFraction = new Option<double>("--test-fraction") { Description = "Rows held out for the final test.", DefaultValueFactory = _ => 0.2 };
        var seed = new Option<int>("--seed") { Description = "Seed for splits, sampler and bootstrap." };
        var timeout = new Option<string?>("--timeout") { Description = "Start no trial after this long, e.g. 10m." };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Trials at once.", DefaultValueFactory = _ => 1 };
        var ignore = new Option<string?>("--ignore") { Description = "Columns to ignore, comma-separated." };
        var output = new Option<string?>("--out", "-o") { Description = "Folder for model.zip and summary.json (default: out/<data file name>)." };
        var storage = new Option<string>("--storage")
        {
            Description = "Storage URL for the study: sqlite:///path.db, postgresql://..., or inmemory.",
            DefaultValueFactory = _ => "sqlite:///hone.db",
        };
        var studyName = new Option<string?>("--study-name", "--study") { Description = "The study's name; an existing study is resumed." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the final report." };
        var tune = new Command("tune", "Tune an ML.NET model on a CSV file: trainer and hyperparameters, cross-validation with pruning, refit, held-out test.")
        {
            data, label, task, metric, trials, trainers, validation, testFraction, seed, timeout, jobs, ignore, output, storage, studyName, quiet,
        };
        tune.SetAction(parse =>
        {
            TimeSpan? limit = null;
            if (parse.GetValue(timeout) is { } text)
            {
                limit = YamlContext.TryParseDuration(text, out var t) && t > TimeSpan.Zero
                    ? t
                    : throw new UsageException($"--timeout \"{text}\" is not a duration; write e.g. 90 (seconds), 30s, 10m or 2h");
            }

            var dataPath = parse.GetValue(data)!;
            if (!File.Exists(dataPath))
            {
                throw new UsageException($"--data: file \"{dataPath}\" does not exist");
            }

            TuneOptions options;
            try
            {
                var tuningTask = TuningTasks.Parse(parse.GetValue(task)!);
                var tuningMetric = parse.GetValue(metric) is { } m ? TuningMetrics.Parse(m) : (TuningMetric?)null;
                if (tuningMetric is { } chosen && !chosen.Fits(tuningTask))
                {
                    throw new UsageException($"--metric {chosen.ShortName()} does not fit --task {tuningTask.ShortName()}; use one of: " +
                        string.Join(", ", TuningMetrics.For(tuningTask).Select(x => x.ShortName())));
                }

                var validationStrategy = parse.GetValue(validation) is { } v ? ValidationStrategy.Parse(v) : null;
                options = new TuneOptions
                {
                    Task = tuningTask,
                    Metric = tuningMetric,
                    Trials = parse.GetValue(trials),
                    TotalTrials = parse.GetValue(trials), // --trials is a total, as in hone optimize
                    Trainers = parse.GetValue(trainers)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    Validation = validationStrategy,
                    TestFraction = parse.GetValue(testFraction),
                    Seed = parse.GetValue(seed),
                    Timeout = limit,
                    Parallelism = parse.GetValue(jobs),
                    IgnoreColumns = parse.GetValue(ignore)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
                    Progress = parse.GetValue(quiet) ? null : new PlainProgress(context.Output),
                    // Opened last, once every other argument is known to be good, so a usage error leaves no database behind.
                    Storage = StorageFactory.Open(SweepReader.ResolveStorage(parse.GetValue(storage)!, Environment.CurrentDirectory)),
                    StudyName = parse.GetValue(studyName),
                    LoadIfExists = parse.GetValue(studyName) is not null,
                };
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                throw new UsageException(e.Message, e);
            }

            var table = TabularData.LoadCsv(dataPath);
            if (!parse.GetValue(quiet))
            {
                context.Output.WriteLine($"{dataPath}: {table.RowCount} rows, {table.ColumnNames.Count} columns; tuning {options.Trials} trials");
            }

            TuneResult result;
            try
            {
                result = new MLNetTuner(new MLContext(options.Seed)).Tune(table, parse.GetValue(label)!, options, context.Interrupt);
            }
            catch (OperationCanceledException) when (context.Interrupt.IsCancellationRequested)
            {
                context.Error.WriteLine("hone: interrupted");
                return ExitCodes.Interrupted;
            }

            context.Output.Write(result.FormatReport());
            var outDir = parse.GetValue(output) ?? Path.Combine("out", Path.GetFileName(dataPath).Split('.')[0]);
            Directory.CreateDirectory(outDir);
            var modelPath = Path.Combine(outDir, "model.zip");
            var summaryPath = Path.Combine(outDir, "summary.json");
            result.SaveModel(modelPath);
            File.WriteAllText(summaryPath, result.ToJson());
            context.Output.WriteLine($"Saved {modelPath} and {summaryPath}");
            return ExitCodes.Ok;
        });
        root.Add(tune);
    }

    private sealed class PlainProgress(TextWriter output) : IProgress<TuneProgress>
    {
        public void Report(TuneProgress p)
        {
            var value = p.Value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
            var best = p.BestValue is { } b ? b.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
            var state = p.State == TrialState.Pruned ? $"pruned after {p.FoldsRun} fold(s)" : p.State.ToString().ToLowerInvariant();
            lock (output)
            {
                output.WriteLine(FormattableString.Invariant(
                    $"[{p.TrialNumber + 1}/{p.TrialsPlanned}] trial {p.TrialNumber} {p.Trainer} {state} {value}  best {best}  ({p.Elapsed.TotalSeconds:0.0}s){(p.FailReason is { } r ? "  " + r : string.Empty)}"));
            }
        }
    }
}
