using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Hone.Cli.Sweep;
using Hone.MLNet;
using Hone.MLNet.Data;
using Hone.MLNet.Metrics;
using Hone.MLNet.Selection;
using Hone.MLNet.Tuning;
using Hone.MLNet.Validation;
using Hone.Storage;
using Hone.Studies;
using Hone.Trials;
using Microsoft.ML;

namespace Hone.Cli.Commands;

/// <summary><c>hone tune</c>: tune an ML.NET model on a CSV file (Hone.MLNet), with the study in a storage.</summary>
/// <remarks>
/// The study is named after the data file, task and metric (<c>breast_cancer-binary-auc</c>), so running the same
/// command again resumes it, and <c>hone trials</c> finds it by a name that says what it is. The data file's name
/// and SHA-256 are study user attributes (<see cref="DataFileKey"/>, <see cref="DataHashKey"/>): resuming with other
/// data is refused (its trials were scored on the other data) unless <c>--force</c>.
/// </remarks>
internal static class TuneCommand
{
    /// <summary>Study user attribute: the data file's name.</summary>
    public const string DataFileKey = "data_file";

    /// <summary>Study user attribute: the data file's full path, so that <c>hone retune</c> can find the data the study was tuned on.</summary>
    public const string DataPathKey = "data_path";

    /// <summary>Study user attribute: the SHA-256 of the data file's bytes, in lower-case hex.</summary>
    public const string DataHashKey = "data_sha256";

    public static void Add(RootCommand root, CliContext context)
    {
        var data = new Option<string>("--data") { Description = "The CSV file (optionally .gz).", Required = true };
        var label = new Option<string>("--label") { Description = "The label column.", DefaultValueFactory = _ => "target" };
        var task = new Option<string?>("--task") { Description = "binary, multiclass or regression (default: from the label: binary for 0/1 or booleans, multiclass for class names or up to 20 integer classes, else regression)." };
        var metric = new Option<string?>("--metric") { Description = "auc, accuracy, logloss, f1, macro-accuracy, rmse, mae or r2 (default: the task's)." };
        var trials = CommandLineValues.WholeNumber("--trials", "-n", 1, int.MaxValue, 50, "Trials the study should have (complete or pruned; a resumed study is topped up).");
        var trainers = new Option<string?>("--trainers") { Description = "Trainers to choose among, comma-separated (default: all for the task)." };
        var validation = new Option<string?>("--validation") { Description = "stratified:5, kfold:5, repeated:5:2, holdout:0.2 or time:5." };
        var testFraction = CommandLineValues.Fraction("--test-fraction", 0, 1, 0.2, "Rows held out for the final test.");
        var seed = CommandLineValues.WholeNumber("--seed", string.Empty, int.MinValue, int.MaxValue, 0, "Seed for splits, sampler and bootstrap.");
        var timeout = CommandLineValues.Duration("--timeout", "Start no trial after this long, e.g. 10m.");
        // One trial per core: the trainers run single-threaded, so this is how a tuning run uses the machine.
        var jobs = CommandLineValues.WholeNumber("--jobs", "-j", 1, 1024, Math.Max(1, Environment.ProcessorCount),
            "Trials at once (default: one per core; --jobs 1 makes a run repeat exactly).");
        var ignore = new Option<string?>("--ignore") { Description = "Columns to ignore, comma-separated." };
        var categorical = new Option<string?>("--categorical")
        {
            Description = "Columns to one-hot encode whatever their cells look like (e.g. numeric codes), comma-separated (default: non-numeric columns with few distinct values).",
        };
        var text = new Option<string?>("--text")
        {
            Description = "Columns to featurize as free text (word and character n-grams), comma-separated (default: non-numeric columns with many distinct values).",
        };
        var fixedPreprocessing = new Option<bool>("--fixed-preprocessing")
        {
            Description = "Do not tune the preprocessing: mean for missing numbers, min-max normalization for linear trainers, one-hot encoding, default text n-grams, no feature selection.",
        };
        var noCostAware = new Option<bool>("--no-cost-aware")
        {
            Description = "Do not start each trainer from its cheapest configuration nor favour trainers by their estimated cost for improvement; the sampler alone chooses.",
        };
        var output = new Option<string?>("--out", "-o") { Description = "Folder for model.zip, summary.json and report.html (default: out/<data file name>)." };
        var storage = new Option<string>("--storage")
        {
            Description = "Storage URL for the study: sqlite:///path.db, postgresql://..., or inmemory.",
            DefaultValueFactory = _ => "sqlite:///hone.db",
        };
        var studyName = new Option<string?>("--study-name", "--study")
        {
            Description = "The study's name (default: <data file>-<task>-<metric>); an existing study of this name is resumed.",
        };
        var force = new Option<bool>("--force") { Description = "Resume the study even if it was tuned on a different data file." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the final report." };
        var second = new Option<string?>("--second-objective")
        {
            Description = "Tune against a cost too: size (model bytes), latency (µs per scored row) or train-time (s). Prints the Pareto set; the knee is refit unless --max-second is given.",
        };
        var maxSecond = new Option<double?>("--max-second")
        {
            Description = "With --second-objective: refit the best metric whose cost is at most this (bytes, µs per row or s).",
        };
        var timeBudget = CommandLineValues.Duration("--time-budget", "Stop and fail a trial that runs longer than this, e.g. 30s or 2m (the reason is recorded).");
        var memoryLimit = CommandLineValues.ByteSize("--memory-limit",
            "Stop and fail a trial running while the process uses more memory than this, e.g. 2GB (trials share the process, so with --jobs above 1 the limit is on all of them together).");
        var cpuBudget = CommandLineValues.Duration("--cpu-budget", "Start no trial once the trials have used this much CPU time in total, e.g. 10m or 2h.");
        var energyBudget = CommandLineValues.Energy("--energy-budget", "Start no trial once the trials have used this much energy in total, e.g. 5Wh or 0.1kWh (measured with RAPL counters, else estimated).");
        var warmStart = new Option<string?>("--warm-start")
        {
            Description = "Start from earlier studies (comma-separated names): their 3 best configurations run first and the sampler takes their trials as a prior.",
        };
        var warmStartStorage = new Option<string?>("--warm-start-storage") { Description = "Where the --warm-start studies are (default: --storage)." };
        var reevaluate = CommandLineValues.OptionalWholeNumber("--reevaluate", string.Empty, 0, 100,
            "Race the K best configurations on fresh folds before the refit and refit the winner there; 0 turns it off (default: 5 when at most 2,000 tuning rows, else off).");
        var reevaluateRepeats = CommandLineValues.WholeNumber("--reevaluate-repeats", string.Empty, 1, 100, ReevaluationDefaults.Repeats,
            "Fresh splits of the tuning rows the --reevaluate race scores on (each the --validation folds with a new shuffle seed).");
        var metaLearn = new Option<bool>("--meta-learn")
        {
            Description = "Start from the best configurations of the earlier datasets most like this one (meta-features recorded by hone tune; see docs/mlnet.md).",
        };
        var metaLearnStorage = new Option<string?>("--meta-learn-storage") { Description = "Where the earlier studies for --meta-learn are (default: --storage)." };
        var tune = new Command("tune", "Tune an ML.NET model on a CSV file: trainer and hyperparameters, cross-validation with pruning, refit, held-out test.")
        {
            data, label, task, metric, trials, trainers, validation, testFraction, seed, timeout, jobs, ignore, categorical, text, fixedPreprocessing, noCostAware,
            output, storage, studyName, force, quiet, second, maxSecond,
            timeBudget, memoryLimit, cpuBudget, energyBudget, warmStart, warmStartStorage, reevaluate, reevaluateRepeats, metaLearn, metaLearnStorage,
        };
        tune.SetAction(parse =>
        {
            var dataPath = parse.GetValue(data)!;
            if (!File.Exists(dataPath))
            {
                throw new NotFoundException($"--data: file \"{dataPath}\" does not exist (looked for {Path.GetFullPath(dataPath)})");
            }

            TuningTask? givenTask;
            TuningMetric? givenMetric;
            SecondObjective secondObjective;
            ValidationStrategy? validationStrategy;
            try
            {
                givenTask = parse.GetValue(task) is { } t ? TuningTasks.Parse(t) : null;
                givenMetric = parse.GetValue(metric) is { } m ? TuningMetrics.Parse(m) : null;
            }
            catch (ArgumentException e)
            {
                throw new UsageException(Output.Messages.Of(e), e);
            }

            try
            {
                secondObjective = parse.GetValue(second) is { } so ? SecondObjectives.Parse(so) : SecondObjective.None;
            }
            catch (ArgumentException)
            {
                throw new UsageException($"--second-objective {parse.GetValue(second)}: unknown; use size, latency or train-time");
            }

            if (parse.GetValue(maxSecond) is { } limit)
            {
                if (secondObjective == SecondObjective.None)
                {
                    throw new UsageException("--max-second needs --second-objective size, latency or train-time");
                }

                if (!(limit > 0) || !double.IsFinite(limit))
                {
                    throw new UsageException($"--max-second {limit.ToString(CultureInfo.InvariantCulture)}: it must be a positive number ({secondObjective.Unit()})");
                }
            }

            try
            {
                validationStrategy = parse.GetValue(validation) is { } v ? ValidationStrategy.Parse(v) : null;
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--validation {parse.GetValue(validation)}: {Output.Messages.Of(e)}", e);
            }

            if (givenTask is { } gt && givenMetric is { } gm && !gm.Fits(gt))
            {
                throw new UsageException($"--metric {gm.ShortName()} does not fit --task {gt.ShortName()}; use one of: " +
                    string.Join(", ", TuningMetrics.For(gt).Select(x => x.ShortName())));
            }

            var quietRun = parse.GetValue(quiet);
            if (parse.GetValue(reevaluate) is > 0 && secondObjective != SecondObjective.None)
            {
                throw new UsageException("--reevaluate works with one objective; drop --second-objective or --reevaluate");
            }

            if (parse.GetValue(metaLearnStorage) is not null && !parse.GetValue(metaLearn))
            {
                throw new UsageException("--meta-learn-storage needs --meta-learn");
            }

            var hash = Sha256(dataPath);
            var storageUrl = SweepReader.ResolveStorage(parse.GetValue(storage)!, Environment.CurrentDirectory);
            var shownUrl = StorageFactory.Display(storageUrl);

            TabularData table;
            try
            {
                table = TabularData.LoadCsv(dataPath);
            }
            catch (FormatException e)
            {
                throw new UsageException($"--data: {e.Message}", e);
            }

            var labelName = parse.GetValue(label)!;
            if (!table.ColumnNames.Contains(labelName))
            {
                throw new UsageException($"--label: {dataPath} has no column \"{labelName}\"; its columns are {string.Join(", ", table.ColumnNames)}" +
                    (table.Layout == CsvLayout.Header ? string.Empty : " (the file has no column names, so the label is \"target\")"));
            }

            var tuningTask = givenTask ?? TuningTasks.Infer(table, labelName);
            var tuningMetric = givenMetric ?? TuningMetrics.DefaultFor(tuningTask);
            if (givenTask is null && !tuningMetric.Fits(tuningTask))
            {
                throw new UsageException($"--metric {tuningMetric.ShortName()} does not fit the label \"{labelName}\", which looks like a {tuningTask.ShortName()} task; " +
                    $"pass --task, or use one of: {string.Join(", ", TuningMetrics.For(tuningTask).Select(x => x.ShortName()))}");
            }

            if (givenTask is null && !quietRun)
            {
                context.Output.WriteLine($"hone: task {tuningTask.ShortName()}, from the label \"{labelName}\" ({DescribeLabel(table, labelName)}); pass --task to choose another.");
            }

            var name = parse.GetValue(studyName) ?? DefaultStudyName(dataPath, tuningTask, tuningMetric)
                + (secondObjective == SecondObjective.None ? string.Empty : "-" + secondObjective.ShortName());

            string[] Columns(Option<string?> option)
            {
                var names = parse.GetValue(option)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
                foreach (var column in names)
                {
                    if (!table.ColumnNames.Contains(column))
                    {
                        throw new UsageException($"{option.Name}: {dataPath} has no column \"{column}\"; its columns are {string.Join(", ", table.ColumnNames)}");
                    }
                }

                return names;
            }

            var ignoreColumns = Columns(ignore);
            var categoricalColumns = Columns(categorical);
            var textColumns = Columns(text);

            // Opened last, once every other argument is known to be good, so a usage error leaves no database behind.
            var store = StorageFactory.Open(storageUrl);

            // Closed on every way out (Ctrl+C and errors too) by the command's storage scope (StorageFactory.BeginScope).
            var before = CheckSameData(store, name, shownUrl, dataPath, hash, parse.GetValue(force));
            var sources = WarmStartSources(parse.GetValue(warmStart), parse.GetValue(warmStartStorage), store, shownUrl, secondObjective);
            var portfolio = TuneMetaLearning.PortfolioFor(parse.GetValue(metaLearn), parse.GetValue(metaLearnStorage), store);

            var progress = new TuneProgressLines(context.Output);
            var options = new TuneOptions
            {
                Task = tuningTask,
                Metric = tuningMetric,
                Trials = parse.GetValue(trials),
                TotalTrials = parse.GetValue(trials), // --trials is a total, as in hone optimize
                Trainers = parse.GetValue(trainers)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Validation = validationStrategy,
                SecondObjective = secondObjective,
                MaxSecondObjective = parse.GetValue(maxSecond),
                TestFraction = parse.GetValue(testFraction),
                Seed = parse.GetValue(seed),
                Timeout = parse.GetValue(timeout),
                Parallelism = parse.GetValue(jobs),
                TrialTimeLimit = parse.GetValue(timeBudget),
                TrialMemoryLimitBytes = parse.GetValue(memoryLimit),
                CpuBudget = parse.GetValue(cpuBudget),
                EnergyBudgetWattHours = parse.GetValue(energyBudget),
                WarmStartFrom = sources,
                MetaLearnFrom = portfolio,
                IgnoreColumns = ignoreColumns,
                CategoricalColumns = categoricalColumns,
                TextColumns = textColumns,
                TunePreprocessing = !parse.GetValue(fixedPreprocessing),
                CostAware = !parse.GetValue(noCostAware),
                Progress = quietRun ? null : progress,
                ReevaluateTop = parse.GetValue(reevaluate),
                ReevaluationRepeats = parse.GetValue(reevaluateRepeats),
                ReevaluationProgress = quietRun ? null : progress,
                Storage = store,
                StudyName = name,
                LoadIfExists = true,
                StudyUserAttrs = new Dictionary<string, object?> { [DataFileKey] = Path.GetFileName(dataPath), [DataPathKey] = Path.GetFullPath(dataPath), [DataHashKey] = hash },
            };

            if (!quietRun)
            {
                var resume = before is { } n ? $"resuming it ({n} trial(s) so far)" : "a new study";
                context.Output.WriteLine($"hone: study \"{name}\" in {shownUrl}: {resume}");
                context.Output.WriteLine($"{dataPath}: {table.RowCount} rows, {table.ColumnNames.Count} columns; tuning {options.Trials} trials");
            }

            TuneResult result;
            try
            {
                result = new MLNetTuner(new MLContext(options.Seed)).Tune(table, labelName, options, context.Interrupt);
            }
            catch (OperationCanceledException) when (context.Interrupt.IsCancellationRequested)
            {
                context.Error.WriteLine($"hone: interrupted; run the same command again to resume study \"{name}\" in {shownUrl}");
                return ExitCodes.Interrupted;
            }
            catch (InvalidOperationException e) when (NoTrialCompleted(store, name))
            {
                context.Error.WriteLine($"hone: every trial of study \"{name}\" failed: {Output.Messages.Of(e)}");
                return ExitCodes.AllTrialsFailed;
            }

            foreach (var warning in result.Warnings)
            {
                context.Error.WriteLine($"hone: warning: {warning}");
            }

            if (TuneMetaLearning.Describe(result.Study) is { } drawn)
            {
                context.Output.WriteLine(drawn);
            }

            context.Output.Write(result.FormatReport());
            var outDir = parse.GetValue(output) ?? Path.Combine("out", Path.GetFileName(dataPath).Split('.')[0]);
            Directory.CreateDirectory(outDir);
            var modelPath = Path.Combine(outDir, "model.zip");
            var summaryPath = Path.Combine(outDir, "summary.json");
            result.SaveModel(modelPath);
            var summaryJson = result.ToJson();
            File.WriteAllText(summaryPath, summaryJson);
            var reportPath = Path.Combine(outDir, "report.html");
            ReportCommand.Write(result.Study, reportPath, summaryJson);
            context.Output.WriteLine($"Saved {modelPath}, {summaryPath} and {reportPath}");
            context.Output.WriteLine($"hone: study \"{name}\" in {shownUrl}; list its trials with: hone trials --storage {shownUrl} --study-name {name}");
            return ExitCodes.Ok;
        });
        root.Add(tune);
    }

    private static string DescribeLabel(TabularData table, string label)
    {
        var distinct = table.DistinctCount(label);
        return table.IsNumeric(label) ? $"{distinct} distinct numbers" : $"{distinct} distinct values";
    }

    /// <summary>The default study name: the data file's name without extensions, the task and the metric.</summary>
    public static string DefaultStudyName(string dataPath, TuningTask task, TuningMetric metric)
    {
        var stem = Path.GetFileName(dataPath).Split('.')[0];
        return $"{(stem.Length == 0 ? "data" : stem)}-{task.ShortName()}-{metric.ShortName()}";
    }

    /// <summary>The SHA-256 of a file's bytes, lower-case hex.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// Refuses to resume a study that was tuned on other data (unless forced); returns the study's trial count when
    /// it exists, null when it is new.
    /// </summary>
    private static int? CheckSameData(IStorage store, string name, string shownUrl, string dataPath, string hash, bool force)
    {
        if (store.FindStudy(name) is not { } id)
        {
            return null;
        }

        var attrs = store.GetStudyUserAttrs(id);
        if (!force && attrs.TryGetValue(DataHashKey, out var stored) && stored.ValueKind == JsonValueKind.String && stored.GetString() != hash)
        {
            var storedFile = attrs.TryGetValue(DataFileKey, out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : "another file";
            throw new UsageException(
                $"study \"{name}\" in {shownUrl} was tuned on {storedFile} (sha256 {stored.GetString()![..12]}...), " +
                $"but --data is {Path.GetFileName(dataPath)} (sha256 {hash[..12]}...): its trials were scored on other data. " +
                "Choose another --study-name, or pass --force to resume it anyway");
        }

        return store.GetAllTrials(id).Count;
    }

    /// <summary>The studies named by --warm-start, in --warm-start-storage or the tuning storage; a missing one is a usage error listing what is there.</summary>
    private static IReadOnlyList<Study> WarmStartSources(string? names, string? storageText, IStorage store, string shownUrl, SecondObjective second)
    {
        if (string.IsNullOrWhiteSpace(names))
        {
            return storageText is null ? [] : throw new UsageException("--warm-start-storage needs --warm-start NAMES");
        }

        if (second != SecondObjective.None)
        {
            throw new UsageException("--warm-start works with one objective; drop --second-objective or --warm-start");
        }

        var sourceStore = store;
        var sourceUrl = shownUrl;
        if (storageText is not null)
        {
            var url = SweepReader.ResolveStorage(storageText, Environment.CurrentDirectory);
            sourceStore = StorageFactory.Open(url);
            sourceUrl = StorageFactory.Display(url);
        }

        var studies = new List<Study>();
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (sourceStore.FindStudy(name) is null)
            {
                var known = sourceStore.GetAllStudies().Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
                throw new UsageException($"--warm-start: {sourceUrl} has no study \"{name}\"" +
                    (known.Count == 0 ? "; it has no studies" : $"; its studies are {string.Join(", ", known)}"));
            }

            studies.Add(Study.Load(new StudyOptions { Name = name, Storage = sourceStore }));
        }

        return studies;
    }

    private static bool NoTrialCompleted(IStorage store, string name) =>
        store.FindStudy(name) is { } id && !store.GetAllTrials(id).Any(t => t.State == TrialState.Complete);
}
