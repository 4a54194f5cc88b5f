using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hone.MLNet.Data;
using Hone.MLNet.MetaLearning;
using Hone.MLNet.Metrics;
using Hone.MLNet.Pipelines;
using Hone.MLNet.Resources;
using Hone.MLNet.SearchSpaces;
using Hone.MLNet.Selection;
using Hone.MLNet.Statistics;
using Hone.MLNet.Validation;
using Hone.Pruners;
using Hone.Samplers.Auto;
using Hone.Samplers.CostAware;
using Hone.Studies;
using Hone.Trials;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Hone.MLNet.Tuning;

/// <summary>
/// Tunes ML.NET trainers on a data view: splits off a test set, scores each trial by cross-validation on the
/// rest (reporting each fold so a pruner can stop it early), refits the best configuration on all tuning rows,
/// scores it once on the test set, and compares it with the trainer's default configuration on the same folds.
/// </summary>
/// <example>
/// <code>
/// var ml = new MLContext(seed: 0);
/// var data = ml.Data.LoadFromTextFile&lt;MyRow&gt;("data.csv", hasHeader: true, separatorChar: ',');
/// var result = new MLNetTuner(ml).Tune(data, labelColumnName: "Label",
///     new TuneOptions { Task = TuningTask.BinaryClassification, Metric = TuningMetric.Auc, Trials = 50 });
/// Console.WriteLine(result.FormatReport());
/// result.SaveModel("model.zip");
/// </code>
/// </example>
public sealed class MLNetTuner
{
    private const int TestBootstrapResamples = 2_000;
    private readonly MLContext _mlContext;

    /// <summary>Creates a tuner that loads data through <paramref name="mlContext"/>.</summary>
    public MLNetTuner(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        _mlContext = mlContext;
    }

    /// <summary>The pruner used when <see cref="TuneOptions.Pruner"/> is null: the median rule after 5 trials.</summary>
    public static IPruner DefaultPruner() => new MedianPruner(new MedianPrunerOptions { StartupTrials = 5 });

    /// <summary>
    /// Tunes a whole pipeline on a table read by <see cref="TabularData.LoadCsv"/>: numeric, categorical and free-text
    /// columns (missing numbers allowed) are featurized by preprocessing choices tuned with the trainer (see
    /// <see cref="TuneOptions.TunePreprocessing"/>), and the model reads the raw columns by name.
    /// </summary>
    /// <exception cref="ArgumentException">The label column is missing or of the wrong type for the task, a column named in the options does not exist, a column has no values, or the options are invalid.</exception>
    public TuneResult Tune(TabularData data, string labelColumnName, TuneOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(labelColumnName);
        options.Validate();
        if (!data.ColumnNames.Contains(labelColumnName))
        {
            throw new ArgumentException(
                $"{data.Source} has no label column \"{labelColumnName}\"; its columns are {string.Join(", ", data.ColumnNames)}" +
                (data.Layout == CsvLayout.Header ? "." : $" (the file has no column names, so the label is \"target\")."), nameof(labelColumnName));
        }

        var dataset = Dataset.FromTable(_mlContext, data, labelColumnName, options.Task, options.IgnoreColumns, options.CategoricalColumns, options.TextColumns);
        var classNames = data.ClassNames.Count > 0 && data.Layout == CsvLayout.SklearnHeader && labelColumnName == data.ColumnNames[^1] ? data.ClassNames : null;
        return Run(dataset, labelColumnName, options, classNames, cancellationToken);
    }

    /// <summary>Tunes on an ML.NET data view: every numeric column other than the label (and the ignored ones) is a feature.</summary>
    /// <exception cref="ArgumentException">The input is unusable (the message says why); raised before any training.</exception>
    /// <exception cref="InvalidOperationException">No trial completed.</exception>
    public TuneResult Tune(IDataView data, string labelColumnName, TuneOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(labelColumnName);
        options.Validate();
        return Run(Dataset.FromDataView(data, labelColumnName, options.Task, options.IgnoreColumns), labelColumnName, options, null, cancellationToken);
    }

    private TuneResult Run(Dataset dataset, string labelColumnName, TuneOptions options, IReadOnlyList<string>? classNames, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();

        // Everything is checked before the first fit.
        var spaces = ResolveSpaces(options, dataset);
        var metric = options.ResolvedMetric;
        var validation = options.ResolvedValidation;
        var classification = options.Task.IsClassification();
        var seeds = new TuneSeeds(options.Seed, options.Seed, options.Seed + 1, options.Seed + 2, options.Seed + 3);
        var (tuningRows, testRows) = DataSplits.TestSplit(dataset.Labels, options.TestFraction, classification, validation.KeepsOrder, seeds.TestSplit);
        if (options.TestFraction > 0 && testRows.Length == 0)
        {
            throw new ArgumentException($"The data has {dataset.RowCount} rows: too few for a test fraction of {options.TestFraction}.", nameof(dataset));
        }

        if (validation.Problem(tuningRows, dataset.Labels, classification) is { } problem)
        {
            throw new ArgumentException($"The data has {dataset.RowCount} rows, {tuningRows.Length} after the test split: {problem}", nameof(dataset));
        }

        if (testRows.Length > 0 && metric == TuningMetric.Auc && testRows.Select(r => dataset.Labels[r]).Distinct().Count() < 2)
        {
            throw new ArgumentException("The test split holds a single class, so AUC is undefined on it; use more data or a larger test fraction (TestFraction; --test-fraction in hone tune).", nameof(dataset));
        }

        var folds = validation.Split(tuningRows, dataset.Labels, classification, seeds.Folds);
        var metaFeatures = DatasetMetaFeatures.Compute(dataset, tuningRows, options.Seed);
        var preprocessing = dataset.Columns is { } featureColumns ? new PreprocessingSpace(featureColumns) : null;
        var evaluator = new FoldEvaluator(_mlContext, dataset, metric, seeds.MLNet, folds, preprocessing);

        var second = options.SecondObjective;
        var twoObjectives = second != SecondObjective.None;
        var warmTrials = options.WarmStartFrom.Count == 0 || twoObjectives ? [] : WarmStart.TrialsOf(metric.Direction(), options.WarmStartFrom);
        var sampler = options.Sampler ?? new AutoSampler(new AutoSamplerOptions { Seed = seeds.Sampler, WarmStartTrials = warmTrials });
        var costAware = options.CostAware && !twoObjectives;
        if (costAware)
        {
            sampler = new CostAwareSampler(sampler, new CostAwareSamplerOptions
            {
                CostParameters = spaces.SelectMany(s => s.CostParameterNames()).ToArray(),
                TrialCost = CpuSeconds,
                Seed = seeds.Sampler,
            });
        }

        var study = Study.Create(new StudyOptions
        {
            Name = options.StudyName,
            Directions = twoObjectives ? [metric.Direction(), StudyDirection.Minimize] : [metric.Direction()],
            Sampler = sampler,
            Pruner = options.Pruner ?? (twoObjectives ? new DominancePruner(new DominancePrunerOptions { StartupTrials = 5 }) : DefaultPruner()),
            Storage = options.Storage,
            StorageUrl = options.StorageUrl,
            LoadIfExists = options.LoadIfExists,
        });
        study.SetUserAttr("hone.mlnet", new Dictionary<string, object?>
        {
            ["task"] = options.Task.ShortName(),
            ["metric"] = metric.ShortName(),
            ["label"] = labelColumnName,
            ["validation"] = validation.Description,
            ["test_fraction"] = options.TestFraction,
            ["seed"] = options.Seed,
            ["rows"] = dataset.RowCount,
            ["second_objective"] = second.ShortName(),
            ["preprocessing"] = preprocessing is null ? "none" : options.TunePreprocessing ? "tuned" : "fixed",
            ["ignore"] = options.IgnoreColumns.ToArray(),
            ["categorical"] = options.CategoricalColumns.ToArray(),
            ["text"] = options.TextColumns.ToArray(),
        });
        var newStudy = study.Trials.Count == 0;
        study.SetUserAttr(DatasetMetaFeatures.AttributeKey, metaFeatures.ToDictionary());
        foreach (var (key, value) in options.StudyUserAttrs)
        {
            study.SetUserAttr(key, value);
        }

        if (warmTrials.Count > 0 && newStudy)
        {
            study.SetUserAttr(WarmStart.SourcesKey, options.WarmStartFrom.Select(s => s.Name).ToArray());
            WarmStart.EnqueueBest(study, warmTrials);
        }

        var warnings = dataset.Warnings.ToList();
        if (options.MetaLearnFrom is { } portfolio && newStudy
            && MetaLearningStart.Apply(study, portfolio, metaFeatures, options.Task, spaces, preprocessing, options.TunePreprocessing, options.MetaLearnConfigurations) is { } metaWarning)
        {
            warnings.Add(metaWarning);
        }

        var trainerNames = spaces.Select(s => s.Name).ToArray();
        if (costAware && newStudy)
        {
            foreach (var space in spaces)
            {
                var start = new Dictionary<string, object?>(space.LowCostParameters(), StringComparer.Ordinal);
                if (spaces.Count > 1)
                {
                    start["trainer"] = space.Name;
                }

                study.Enqueue(start, new Dictionary<string, object?> { ["hone.start"] = "low-cost" });
            }
        }

        var tuning = Stopwatch.StartNew();
        using var meter = new ResourceMeter(options.WattsPerCore, options.TrialMemoryLimitBytes, TimeSpan.FromMilliseconds(100), RaplCounter.Open());
        var usage = new RunUsage(options.CpuBudget, options.EnergyBudgetWattHours);
        double[] Objective(Trial trial)
        {
            using var lease = meter.Start(options.TrialTimeLimit);
            try
            {
                return Evaluate(trial, lease);
            }
            catch (Exception e) when (e is not TrialPrunedException && lease.Token.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                var limit = lease.StopReason is { } r && r.StartsWith("it ran", StringComparison.Ordinal)
                    ? "TrialTimeLimit; --time-budget in hone tune"
                    : "TrialMemoryLimitBytes; --memory-limit in hone tune";
                throw new TrialLimitException($"Trial {trial.Number} was stopped: {lease.StopReason} ({limit}).");
            }
            finally
            {
                var used = lease.Stop();
                usage.Add(used);
                trial.SetUserAttr(TrialResources.AttributeKey, used.ToAttribute());
            }
        }

        double[] Evaluate(Trial trial, ResourceMeter.Lease lease)
        {
            var space = spaces.Count == 1 ? spaces[0] : spaces.First(s => s.Name == trial.SuggestCategorical("trainer", trainerNames));
            trial.SetUserAttr("trainer", space.Name);
            var values = space.Suggest(trial);
            var prep = preprocessing is null ? null : options.TunePreprocessing ? preprocessing.Suggest(trial, space.IsLinear) : preprocessing.Defaults(space.IsLinear);
            var metricSums = new Dictionary<string, double>(StringComparer.Ordinal);
            var metricCounts = new Dictionary<string, int>(StringComparer.Ordinal);
            var scores = new List<double>();
            var seconds = new List<double>();
            var costs = new List<double>();
            foreach (var fold in folds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                lease.Token.ThrowIfCancellationRequested();
                var watch = Stopwatch.StartNew();
                var (score, cost, foldMetrics) = evaluator.ScoreWithCost(space, values, prep, fold, second, lease.Token);
                seconds.Add(watch.Elapsed.TotalSeconds);
                if (!double.IsFinite(score))
                {
                    throw new InvalidOperationException($"{space.Name} scored {score} on fold {fold.Index} (the model diverged or predicted a single value).");
                }

                scores.Add(score);
                foreach (var (key, value) in foldMetrics)
                {
                    metricSums[key] = metricSums.GetValueOrDefault(key) + value;
                    metricCounts[key] = metricCounts.GetValueOrDefault(key) + 1;
                }

                trial.SetUserAttr(MetricsKey, metricSums.ToDictionary(kv => kv.Key, kv => kv.Value / metricCounts[kv.Key], StringComparer.Ordinal));
                trial.SetUserAttr("fold_scores", scores.ToArray());
                trial.SetUserAttr("fold_seconds", seconds.ToArray());
                if (twoObjectives)
                {
                    costs.Add(cost);
                    trial.SetUserAttr("fold_costs", costs.ToArray());
                    trial.Report([score, cost], fold.Index);
                }
                else
                {
                    trial.Report(score, fold.Index);
                }

                if (fold.Index < folds.Count - 1 && trial.ShouldPrune())
                {
                    throw new TrialPrunedException($"Pruned after {scores.Count} of {folds.Count} folds.");
                }
            }

            return twoObjectives ? [scores.Average(), costs.Average()] : [scores.Average()];
        }

        // Trials queued before this run (a warm start's, the low-cost start) are run by it, so they count as this run's.
        var earlier = study.Trials.Where(t => t.State != TrialState.Waiting).Select(t => t.Number).ToHashSet();
        var planned = options.TotalTrials is { } target
            ? Math.Min(options.Trials, Math.Max(0, target - study.GetTrials(TrialState.Complete, TrialState.Pruned, TrialState.Running).Count))
            : options.Trials;
        study.Optimize(Objective, new OptimizeOptions
        {
            Trials = options.Trials,
            TotalTrials = options.TotalTrials,
            Timeout = options.Timeout,
            Parallelism = options.Parallelism,
            Callbacks = [(s, t) =>
            {
                options.Progress?.Report(ToProgress(s, t, planned, tuning.Elapsed));
                if (usage.Exhausted() is not null)
                {
                    s.Stop();
                }
            }],
        }, cancellationToken);
        var tuningElapsed = tuning.Elapsed;

        var complete = study.GetTrials(TrialState.Complete);
        if (complete.Count == 0)
        {
            var reasons = study.GetTrials(TrialState.Fail).Select(t => t.SystemAttrs.TryGetValue("fail_reason", out var r) ? r.ToString() : "?").Distinct().Take(3);
            throw new InvalidOperationException($"No trial completed ({study.Trials.Count} trials); first failure reasons: {string.Join(" | ", reasons)}");
        }

        // Racing the best few on fresh splits of the tuning rows (Selection/Reevaluation.cs); the winner there is refit.
        var (reevaluation, reevaluationSkipped) = Reevaluation.Run(
            study, options, validation, tuningRows, dataset.Labels, classification, seeds, folds.Count, (t, fold, ct) =>
            {
                var space = spaces.First(s => s.Name == TrainerOf(t, spaces));
                var prep = preprocessing is null ? null : options.TunePreprocessing ? preprocessing.FromTrialParams(t.Params, space.IsLinear) : preprocessing.Defaults(space.IsLinear);
                return evaluator.ScoreWithCost(space, space.FromTrialParams(t.Params), prep, fold, SecondObjective.None, ct).Score;
            }, CpuSeconds, cancellationToken);
        evaluator.ForgetFreshFolds();
        var pareto = twoObjectives ? ParetoPoints(study, spaces) : [];
        var best = twoObjectives ? study.Trials[ChooseTradeOff(pareto, metric.Direction(), options.MaxSecondObjective)]
            : reevaluation?.WinnerTrialNumber is { } winner ? study.Trials[winner] : study.BestTrial;
        var bestSpace = spaces.First(s => s.Name == TrainerOf(best, spaces));
        var bestValues = bestSpace.FromTrialParams(best.Params);
        var bestPrep = preprocessing?.FromTrialParams(best.Params, bestSpace.IsLinear);
        var defaultPrep = preprocessing?.Defaults(bestSpace.IsLinear);
        var bestFoldScores = FoldScores(best);
        if (bestFoldScores.Length != folds.Count)
        {
            bestFoldScores = folds.Select(f => evaluator.Score(bestSpace, bestValues, bestPrep, f)).ToArray();
        }

        // The default configuration's folds and both refits are independent fits: run them on the trials' cores.
        var defaultFoldScores = new double[folds.Count];
        ITransformer? model = null;
        ITransformer? defaultModel = null;
        var refitElapsed = TimeSpan.Zero;
        var fits = new List<Action>
        {
            () =>
            {
                var refit = Stopwatch.StartNew();
                model = evaluator.Fit(bestSpace, bestValues, bestPrep, tuningRows);
                refitElapsed = refit.Elapsed;
            },
        };
        if (testRows.Length > 0)
        {
            fits.Add(() => defaultModel = evaluator.Fit(bestSpace, null, defaultPrep, tuningRows));
        }

        fits.AddRange(folds.Select((f, i) => (Action)(() => defaultFoldScores[i] = evaluator.Score(bestSpace, null, defaultPrep, f))));
        RunAll(fits, options.Parallelism, cancellationToken);
        var refitModel = model ?? throw new InvalidOperationException("The refit produced no model.");
        var direction = metric.Direction();
        var bestSummary = ScoreSummary.Of(bestFoldScores, seeds.Bootstrap);
        var defaultSummary = ScoreSummary.Of(defaultFoldScores, seeds.Bootstrap);
        var better = bestFoldScores.Zip(defaultFoldScores).Count(p => direction == StudyDirection.Maximize ? p.First > p.Second : p.First < p.Second);
        var comparison = new PairedComparison(
            bestFoldScores.Zip(defaultFoldScores).Average(p => p.First - p.Second),
            better,
            PairedTests.Wilcoxon(bestFoldScores, defaultFoldScores),
            PairedTests.PairedT(bestFoldScores, defaultFoldScores));

        // One look at the test set, by the model refit on every tuning row.
        TestScore? test = null;
        double? defaultTest = null;
        IReadOnlyDictionary<string, double> testMetrics = new Dictionary<string, double>();
        if (testRows.Length > 0)
        {
            var predictions = evaluator.Predict(refitModel, testRows);
            testMetrics = AllMetrics(predictions, options.Task);
            var value = predictions.Compute(metric);
            var (low, high) = Bootstrap.Interval(testRows.Length, rows => predictions.Compute(metric, rows), 0.95, TestBootstrapResamples, seeds.Bootstrap);
            test = new TestScore(value, low, high, testRows.Length);
            defaultTest = evaluator.Predict(defaultModel!, testRows).Compute(metric);
        }

        double? refitCost = second switch
        {
            SecondObjective.ModelSize => evaluator.ModelBytes(refitModel),
            SecondObjective.TrainingTime => refitElapsed.TotalSeconds,
            SecondObjective.Latency when testRows.Length > 0 => evaluator.MicrosecondsPerRow(refitModel, testRows),
            _ => null,
        };

        var trials = study.Trials.Where(t => !earlier.Contains(t.Number)).ToArray();
        return new TuneResult
        {
            Task = options.Task,
            Metric = metric,
            LabelColumn = labelColumnName,
            FeatureNames = dataset.FeatureNames,
            ClassNames = classNames is not null && classNames.Count == dataset.ClassCount ? classNames : dataset.ClassNames,
            RowCount = dataset.RowCount,
            TuningRows = tuningRows,
            TestRows = testRows,
            Folds = folds,
            Validation = validation.Description,
            Seeds = seeds,
            Trainers = trainerNames,
            Study = study,
            BestTrialNumber = best.Number,
            BestTrainer = bestSpace.Name,
            BestParameters = bestValues,
            Preprocessing = bestPrep ?? new Dictionary<string, object?>(),
            PreprocessingTuned = preprocessing is not null && options.TunePreprocessing,
            ColumnKinds = dataset.Columns?.ToDictionary(c => c.Name, c => c.Kind, StringComparer.Ordinal) ?? new Dictionary<string, ColumnKind>(StringComparer.Ordinal),
            BestMetrics = MetricsOf(best),
            TestMetrics = testMetrics,
            Warnings = warnings,
            DefaultParameters = bestSpace.Parameters.ToDictionary(p => p.Name, p => p.Default),
            Best = bestSummary,
            Default = defaultSummary,
            Comparison = comparison,
            Test = test,
            DefaultTestValue = defaultTest,
            Model = refitModel,
            ModelInputSchema = evaluator.InputSchema,
            TrialsRun = trials.Length,
            TrialsComplete = trials.Count(t => t.State == TrialState.Complete),
            TrialsPruned = trials.Count(t => t.State == TrialState.Pruned),
            TrialsFailed = trials.Count(t => t.State == TrialState.Fail),
            PruningTimeSaved = TimeSpan.FromSeconds(trials.Where(t => t.State == TrialState.Pruned).Sum(t => SavedSeconds(t, folds.Count))),
            SecondObjective = second,
            ParetoFront = pareto,
            BestCost = twoObjectives && best.Values is { Count: 2 } v ? v[1] : null,
            RefitCost = refitCost,
            MaxSecondObjective = options.MaxSecondObjective,
            Resources = usage.Totals(meter.EnergyMethod),
            Reevaluation = reevaluation,
            ReevaluationSkipped = reevaluationSkipped,
            TuningElapsed = tuningElapsed,
            RefitElapsed = refitElapsed,
            Elapsed = total.Elapsed,
        };
    }

    /// <summary>The trial user attribute with every metric of the task, averaged over the folds scored so far.</summary>
    public const string MetricsKey = "metrics";

    /// <summary>Every metric of the task that these predictions define (log-loss needs probabilities; AUC both classes).</summary>
    private static Dictionary<string, double> AllMetrics(Predictions predictions, TuningTask task)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var m in TuningMetrics.For(task))
        {
            if ((m == TuningMetric.LogLoss && predictions.Probabilities is null) || (m != TuningMetric.Auc && m != TuningMetric.LogLoss && m != TuningMetric.F1 && task.IsClassification() && predictions.PredictedClasses is null))
            {
                continue;
            }

            var value = predictions.Compute(m);
            if (double.IsFinite(value))
            {
                result[m.ShortName()] = value;
            }
        }

        return result;
    }

    private static Dictionary<string, double> MetricsOf(FrozenTrial trial) =>
        trial.UserAttrs.TryGetValue(MetricsKey, out var e) && e.ValueKind == JsonValueKind.Object
            ? e.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal)
            : new Dictionary<string, double>(StringComparer.Ordinal);

    private static List<TrainerSearchSpace> ResolveSpaces(TuneOptions options, Dataset dataset)
    {
        if (options.SearchSpaces is { } custom)
        {
            return [.. custom];
        }

        if (options.Trainers is { } names)
        {
            var chosen = TrainerSearchSpaces.For(options.Task, names).ToList();
            if (chosen.Any(s => s.Name == "LbfgsPoissonRegression") && dataset.Labels.Any(v => v < 0))
            {
                throw new ArgumentException("LbfgsPoissonRegression needs a non-negative label, but the label has negative values.", nameof(options));
            }

            return chosen;
        }

        return TrainerSearchSpaces.For(options.Task)
            .Where(s => s.Name != "LbfgsPoissonRegression" || dataset.Labels.All(v => v >= 0))
            .ToList();
    }

    /// <summary>The study's Pareto set (complete feasible trials no other beats in both), by metric, best first.</summary>
    private static List<ParetoPoint> ParetoPoints(Study study, IReadOnlyList<TrainerSearchSpace> spaces)
    {
        var maximize = study.Directions[0] == StudyDirection.Maximize;
        var points = study.BestTrials.Select(t => new ParetoPoint(t.Number, TrainerOf(t, spaces), t.Values![0], t.Values[1]));
        return [.. maximize ? points.OrderByDescending(p => p.Metric) : points.OrderBy(p => p.Metric)];
    }

    /// <summary>
    /// The trade-off to refit: with a limit, the best metric among the Pareto trials whose cost is within it (the cheapest
    /// when none is); without one, the knee: the Pareto trial closest to the ideal point once each objective is scaled to
    /// [0, 1] over the Pareto set.
    /// </summary>
    private static int ChooseTradeOff(IReadOnlyList<ParetoPoint> pareto, StudyDirection metricDirection, double? maxCost)
    {
        if (maxCost is { } max)
        {
            var within = pareto.Where(p => p.Cost <= max).ToList();
            return within.Count > 0 ? within[0].TrialNumber : pareto.MinBy(p => p.Cost)!.TrialNumber;
        }

        var sign = metricDirection == StudyDirection.Maximize ? -1 : 1;
        var m0 = pareto.Min(p => sign * p.Metric);
        var m1 = pareto.Max(p => sign * p.Metric);
        var c0 = pareto.Min(p => p.Cost);
        var c1 = pareto.Max(p => p.Cost);
        static double Scale(double v, double lo, double hi) => hi > lo ? (v - lo) / (hi - lo) : 0;
        return pareto.MinBy(p => Math.Pow(Scale(sign * p.Metric, m0, m1), 2) + Math.Pow(Scale(p.Cost, c0, c1), 2))!.TrialNumber;
    }

    internal static string TrainerOf(FrozenTrial trial, IReadOnlyList<TrainerSearchSpace> spaces) =>
        trial.Params.TryGetValue("trainer", out var t) && t is string s ? s : spaces[0].Name;

    private static double[] FoldScores(FrozenTrial trial) =>
        trial.UserAttrs.TryGetValue("fold_scores", out var e) && e.ValueKind == JsonValueKind.Array
            ? e.EnumerateArray().Select(x => x.GetDouble()).ToArray()
            : [];

    /// <summary>Runs independent fits, at most <paramref name="parallelism"/> at once; the first failure is rethrown as itself.</summary>
    private static void RunAll(List<Action> work, int parallelism, CancellationToken cancellationToken)
    {
        try
        {
            Parallel.Invoke(new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken }, [.. work]);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }

    /// <summary>The CPU seconds a trial's fits used (its resources attribute), or null when it has none.</summary>
    private static double? CpuSeconds(FrozenTrial trial) =>
        trial.UserAttrs.TryGetValue(TrialResources.AttributeKey, out var used) && used.ValueKind == JsonValueKind.Object
            && used.TryGetProperty("cpu_seconds", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetDouble() : null;

    private static double SavedSeconds(FrozenTrial trial, int foldCount)
    {
        if (!trial.UserAttrs.TryGetValue("fold_seconds", out var e) || e.ValueKind != JsonValueKind.Array)
        {
            return 0;
        }

        var seconds = e.EnumerateArray().Select(x => x.GetDouble()).ToArray();
        return seconds.Length == 0 ? 0 : (foldCount - seconds.Length) * seconds.Average();
    }

    private static TuneProgress ToProgress(Study study, FrozenTrial trial, int planned, TimeSpan elapsed)
    {
        double? best = null;
        var maximize = study.Directions[0] == StudyDirection.Maximize;
        foreach (var done in study.GetTrials(TrialState.Complete))
        {
            if (done.IsFeasible && done.Values is { Count: > 0 } v && (best is null || (maximize ? v[0] > best : v[0] < best)))
            {
                best = v[0];
            }
        }

        var trainer = trial.UserAttrs.TryGetValue("trainer", out var t) ? t.GetString() ?? "?" : "?";
        var reason = trial.SystemAttrs.TryGetValue("fail_reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        var cpu = CpuSeconds(trial);
        return new TuneProgress(trial.Number, planned, trial.State, trainer, trial.State == TrialState.Complete ? trial.Values?[0] : null, Math.Max(trial.IntermediateValues.Count, trial.IntermediateVectors.Count), best, elapsed, reason, cpu);
    }

    /// <summary>Fits and scores configurations on the folds; each fit gets a fresh MLContext with the run's seed, so a configuration's score does not depend on trial order or parallelism.</summary>
    internal sealed class FoldEvaluator
    {
        private readonly Dataset _data;
        private readonly PreprocessingSpace? _preprocessing;
        private readonly TuningMetric _metric;
        private readonly int _seed;
        private readonly MLContext _loader;
        private readonly Dictionary<Fold, (IDataView Train, IDataView Valid)> _views = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<Fold> _tuningFolds = new(ReferenceEqualityComparer.Instance);
        private readonly Lock _lock = new();

        public FoldEvaluator(MLContext loader, Dataset data, TuningMetric metric, int seed, IReadOnlyList<Fold> folds, PreprocessingSpace? preprocessing)
        {
            _data = data;
            _preprocessing = preprocessing;
            _metric = metric;
            _seed = seed;
            _loader = loader;
            foreach (var fold in folds)
            {
                _views[fold] = (data.ToDataView(_loader, fold.TrainRows), data.ToDataView(_loader, fold.ValidRows));
                _tuningFolds.Add(fold);
            }

            InputSchema = data.RawInputSchema ?? data.ToDataView(_loader, [0]).Schema;
        }

        public DataViewSchema InputSchema { get; }

        public double Score(TrainerSearchSpace space, IReadOnlyDictionary<string, object?>? values, IReadOnlyDictionary<string, object?>? prep, Fold fold) =>
            ScoreWithCost(space, values, prep, fold, SecondObjective.None).Score;

        /// <summary>The whole pipeline for a fit on <paramref name="rows"/> rows: the preprocessing choices (for raw columns) and the trainer.</summary>
        /// <remarks>
        /// Linear trainers read their input once per iteration, and on each pass ML.NET splits the transforms' work
        /// across background threads and merges it back, which on small data costs more than the optimization; so
        /// their prepared features are cached in memory first (the saved model does not keep the cache). Tree
        /// trainers read the data once, into their own binned copy, and gain nothing from it.
        /// </remarks>
        public IEstimator<ITransformer> Estimator(MLContext ml, TrainerSearchSpace space, IReadOnlyDictionary<string, object?>? values, IReadOnlyDictionary<string, object?>? prep, int rows)
        {
            var prepare = _preprocessing is not null && prep is not null ? _preprocessing.Build(ml, prep, rows)
                : space.IsLinear ? TrainerSearchSpace.LinearNormalizer(ml)
                : null;
            var trainer = space.CreateTrainer(ml, values);
            return prepare is null ? trainer
                : space.IsLinear ? prepare.AppendCacheCheckpoint(ml).Append(trainer)
                : prepare.Append(trainer);
        }

        /// <summary>The fold's score, the second objective measured on the same fit (0 for none), and every metric of the task.</summary>
        public (double Score, double Cost, Dictionary<string, double> Metrics) ScoreWithCost(
            TrainerSearchSpace space, IReadOnlyDictionary<string, object?>? values, IReadOnlyDictionary<string, object?>? prep, Fold fold, SecondObjective second, CancellationToken cancellation = default)
        {
            (IDataView Train, IDataView Valid) views;
            lock (_lock)
            {
                // Any fold can be scored (re-evaluation brings fresh ones); its views are made once, under the lock.
                if (!_views.TryGetValue(fold, out views))
                {
                    views = (_data.ToDataView(_loader, fold.TrainRows), _data.ToDataView(_loader, fold.ValidRows));
                    _views[fold] = views;
                }
            }

            var (train, valid) = views;
            var ml = new MLContext(_seed);
            using var stop = cancellation.Register(() => MLContextCancellation.CancelExecution(ml));
            var fit = Stopwatch.StartNew();
            var model = OnPoolThread(space, () => Estimator(ml, space, values, prep, fold.TrainRows.Count).Fit(train));
            var fitSeconds = fit.Elapsed.TotalSeconds;
            var predict = Stopwatch.StartNew();
            var predictions = Predictions(model.Transform(valid), fold.ValidRows);
            var score = predictions.Compute(_metric);
            var microsecondsPerRow = predict.Elapsed.TotalMicroseconds / Math.Max(1, fold.ValidRows.Count);
            var cost = second switch
            {
                SecondObjective.ModelSize => ModelBytes(model),
                SecondObjective.Latency => microsecondsPerRow,
                SecondObjective.TrainingTime => fitSeconds,
                _ => 0,
            };
            return (score, cost, AllMetrics(predictions, _data.Task));
        }

        /// <summary>Drops the views of every fold but the tuning folds (re-evaluation's fresh folds are used once).</summary>
        public void ForgetFreshFolds()
        {
            lock (_lock)
            {
                foreach (var fold in _views.Keys.Where(f => !_tuningFolds.Contains(f)).ToList())
                {
                    _views.Remove(fold);
                }
            }
        }

        /// <summary>The size of the model saved as an ML.NET .zip, in bytes.</summary>
        public double ModelBytes(ITransformer model)
        {
            using var stream = new MemoryStream();
            new MLContext(_seed).Model.Save(model, InputSchema, stream);
            return stream.Length;
        }

        /// <summary>Microseconds per row to score <paramref name="rows"/>.</summary>
        public double MicrosecondsPerRow(ITransformer model, IReadOnlyList<int> rows)
        {
            var watch = Stopwatch.StartNew();
            Predict(model, rows);
            return watch.Elapsed.TotalMicroseconds / Math.Max(1, rows.Count);
        }

        public ITransformer Fit(TrainerSearchSpace space, IReadOnlyDictionary<string, object?>? values, IReadOnlyDictionary<string, object?>? prep, IReadOnlyList<int> rows)
        {
            IDataView view;
            lock (_lock)
            {
                view = _data.ToDataView(_loader, rows);
            }

            var ml = new MLContext(_seed);
            return OnPoolThread(space, () => Estimator(ml, space, values, prep, rows.Count).Fit(view));
        }

        /// <summary>
        /// Runs a tree trainer's fit on a thread-pool thread. ML.NET's FastTree and FastForest start a task for each
        /// node split and wait for it; waited on from a pool thread that task is usually taken back and run inline,
        /// where from a trial's own thread it crosses to another thread and back, which made them 2-3 times slower on
        /// small data. Other trainers gain nothing from it and stay on the calling thread, leaving the pool free.
        /// </summary>
        private static T OnPoolThread<T>(TrainerSearchSpace space, Func<T> fit) =>
            space.IsLinear || Thread.CurrentThread.IsThreadPoolThread ? fit() : Task.Run(fit).GetAwaiter().GetResult();

        public Predictions Predict(ITransformer model, IReadOnlyList<int> rows)
        {
            IDataView view;
            lock (_lock)
            {
                view = _data.ToDataView(_loader, rows);
            }

            return Predictions(model.Transform(view), rows);
        }

        private Predictions Predictions(IDataView scored, IReadOnlyList<int> rows) =>
            Metrics.Predictions.FromScoredData(scored, _data.Task, rows.Select(r => _data.Labels[r]).ToArray(), _data.ClassCount);
    }
}

/// <summary>The seeds a tuning run used.</summary>
/// <param name="Seed">The run's seed (<see cref="TuneOptions.Seed"/>).</param>
/// <param name="TestSplit">The test split's shuffle seed.</param>
/// <param name="Folds">The folds' shuffle seed.</param>
/// <param name="Sampler">The default TPE sampler's seed (unused with a custom sampler). Also the seed of every MLContext used for fits is <paramref name="Seed"/>.</param>
/// <param name="Bootstrap">The bootstrap resampling seed.</param>
public sealed record TuneSeeds(int Seed, int TestSplit, int Folds, int Sampler, int Bootstrap)
{
    /// <summary>The seed of every MLContext a fit uses.</summary>
    public int MLNet => Seed;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"seed {Seed} (test split {TestSplit}, folds {Folds}, sampler {Sampler}, bootstrap {Bootstrap})");
}

/// <summary>The refit model's score on the test set.</summary>
/// <param name="Value">The metric on the test rows.</param>
/// <param name="CiLow">The lower end of its 95% bootstrap interval (test rows resampled).</param>
/// <param name="CiHigh">The upper end.</param>
/// <param name="Rows">How many test rows.</param>
public sealed record TestScore(double Value, double CiLow, double CiHigh, int Rows);
