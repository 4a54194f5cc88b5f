using Hone.Studies;
using Hone.MLNet.Metrics;
using Hone.MLNet.SearchSpaces;
using Hone.MLNet.Validation;
using Hone.Pruners;
using Hone.Samplers;
using Hone.Storage;

namespace Hone.MLNet.Tuning;

/// <summary>What <see cref="MLNetTuner"/> tunes and how it validates.</summary>
public sealed class TuneOptions
{
    /// <summary>The kind of model.</summary>
    /// <value><see cref="TuningTask.BinaryClassification"/>.</value>
    public TuningTask Task { get; init; } = TuningTask.BinaryClassification;

    /// <summary>The score to optimize; its direction follows from it.</summary>
    /// <value>Null: AUC (binary), accuracy (multiclass), RMSE (regression).</value>
    public TuningMetric? Metric { get; init; }

    /// <summary>Names of the trainers to choose among (see <see cref="TrainerSearchSpaces.Names"/>).</summary>
    /// <value>Null: every ready trainer for the task (LbfgsPoissonRegression only when no label is negative).</value>
    /// <remarks>With several trainers the trainer is a categorical parameter "trainer" and each has its own conditional subspace.</remarks>
    public IReadOnlyList<string>? Trainers { get; init; }

    /// <summary>Custom search spaces (e.g. from <see cref="TrainerSearchSpace.WithParameter"/>); when set, <see cref="Trainers"/> is ignored.</summary>
    public IReadOnlyList<TrainerSearchSpace>? SearchSpaces { get; init; }

    /// <summary>How many trials this run starts; on a resumed study (<see cref="LoadIfExists"/>) that many more.</summary>
    /// <value>50.</value>
    public int Trials { get; init; } = 50;

    /// <summary>
    /// A target over the study, as <see cref="Studies.OptimizeOptions.TotalTrials"/>: no trial starts once the study's
    /// Complete, Pruned and Running trials reach it, so resuming tops the study up instead of adding <see cref="Trials"/> more.
    /// Failed trials do not count. The run stops at whichever of the two comes first.
    /// </summary>
    /// <value>Null: only <see cref="Trials"/> limits the run.</value>
    public int? TotalTrials { get; init; }

    /// <summary>After this long no new trial starts.</summary>
    /// <value>Null: no limit.</value>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How many trials run at once (each fit is single-threaded).</summary>
    /// <value>1.</value>
    public int Parallelism { get; init; } = 1;

    /// <summary>A trial that runs longer than this is stopped and recorded as failed, with the reason.</summary>
    /// <value>Null: no limit.</value>
    public TimeSpan? TrialTimeLimit { get; init; }

    /// <summary>
    /// A trial running while the process's working set exceeds this many bytes is stopped and recorded as failed, with
    /// the reason. Trials share the process, so with <see cref="Parallelism"/> above 1 the limit is on all running trials
    /// together and every trial running at that moment is stopped.
    /// </summary>
    /// <value>Null: no limit.</value>
    public long? TrialMemoryLimitBytes { get; init; }

    /// <summary>No trial starts once the run's trials have used this much CPU time in total (see <see cref="Resources.TrialResources"/>).</summary>
    /// <value>Null: no limit.</value>
    public TimeSpan? CpuBudget { get; init; }

    /// <summary>No trial starts once the run's trials have used this much energy in total, in watt-hours (measured or estimated as <see cref="Resources.TrialResources.EnergyMethod"/> says).</summary>
    /// <value>Null: no limit.</value>
    public double? EnergyBudgetWattHours { get; init; }

    /// <summary>The power one busy core draws, in watts, for the energy estimate used where RAPL counters are not readable.</summary>
    /// <value>12 W: the Green Algorithms calculator's figure for an unspecified CPU core (Lannelongue et al. 2021).</value>
    public double WattsPerCore { get; init; } = 12;

    /// <summary>How a trial is scored on the tuning rows.</summary>
    /// <value>Null: stratified 5-fold for classification, 5-fold for regression.</value>
    public ValidationStrategy? Validation { get; init; }

    /// <summary>The share of rows split off first as the test set, never seen while tuning (stratified for classification; the last rows for time-ordered validation).</summary>
    /// <value>0.2. Zero skips the test set.</value>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>The seed everything derives from: test split (Seed), folds (Seed + 1), sampler (Seed + 2), bootstrap (Seed + 3), ML.NET (Seed).</summary>
    /// <value>0.</value>
    public int Seed { get; init; }

    /// <summary>A cost tuned against the metric: the study gets two objectives (the metric, the cost minimised).</summary>
    /// <value><see cref="Tuning.SecondObjective.None"/>.</value>
    /// <remarks>
    /// The result's <see cref="TuneResult.ParetoFront"/> lists the trade-offs; the one refit and tested is the best metric
    /// among those whose cost is at most <see cref="MaxSecondObjective"/> when it is set, otherwise the knee: the Pareto
    /// trial closest to the ideal point once each objective is scaled to [0, 1] over the Pareto set. The default pruner
    /// is then a <see cref="DominancePruner"/> on the (metric, cost) of each fold.
    /// </remarks>
    public SecondObjective SecondObjective { get; init; }

    /// <summary>The largest acceptable <see cref="SecondObjective"/> value for the configuration chosen from the Pareto set (bytes, µs per row or seconds).</summary>
    /// <value>Null: the knee of the Pareto set.</value>
    public double? MaxSecondObjective { get; init; }

    /// <summary>
    /// Earlier studies to start from (e.g. the same model tuned on last month's data): their three best configurations
    /// are the new study's first trials, and the default sampler takes their trials as a prior
    /// (<see cref="Hone.Studies.WarmStart"/>). Only a new study is seeded this way; a resumed one already has its own trials.
    /// They must optimize the same metric in the same direction.
    /// </summary>
    /// <value>None.</value>
    public IReadOnlyList<Study> WarmStartFrom { get; init; } = [];

    /// <summary>
    /// Whether the search is frugal with compute (<see cref="Hone.Samplers.CostAware.CostAwareSampler"/>): each trainer is
    /// first tried in its cheapest configuration (fewest trees, leaves and iterations), later trials pick the trainer
    /// with probability inversely proportional to its estimated cost for improvement (FLAML, Wang et al. 2021), and the
    /// cost-related options of a trainer grow at most twofold beyond the largest value tried (CFO, Wu et al. 2021).
    /// Applies to single-objective tuning; the sampler (<see cref="Sampler"/>, or the default) still chooses every
    /// other parameter.
    /// </summary>
    /// <value>True.</value>
    public bool CostAware { get; init; } = true;

    /// <summary>
    /// Configurations from earlier datasets to start from (meta-learning, see <see cref="MetaLearning.Portfolio"/>): the
    /// best configurations of the datasets nearest to this one in meta-features are the new study's first trials
    /// (<see cref="MetaLearnConfigurations"/> of them), and the study records which datasets and studies they came from
    /// (<see cref="MetaLearning.Portfolio.SourcesKey"/>). Only a new study is seeded. A portfolio with nothing for this
    /// task or these trainers is a warning in <see cref="TuneResult.Warnings"/>, not an error.
    /// </summary>
    /// <value>Null: no meta-learning.</value>
    public MetaLearning.Portfolio? MetaLearnFrom { get; init; }

    /// <summary>How many configurations <see cref="MetaLearnFrom"/> enqueues: the best of each nearest dataset in turn.</summary>
    /// <value>5.</value>
    public int MetaLearnConfigurations { get; init; } = 5;

    /// <summary>The sampler.</summary>
    /// <value>Null: the <see cref="Hone.Samplers.Auto.AutoSampler"/> seeded from <see cref="Seed"/>.</value>
    public ISampler? Sampler { get; init; }

    /// <summary>The pruner that stops a trial after some folds; folds are reported at steps 0, 1, ....</summary>
    /// <value>Null: <see cref="MLNetTuner.DefaultPruner"/>.</value>
    public IPruner? Pruner { get; init; }

    /// <summary>Where the study lives: the hook for persistent storage (e.g. SQLite) so a tuning run can be resumed or inspected.</summary>
    /// <value>Null: a new in-memory storage.</value>
    public IStorage? Storage { get; init; }

    /// <summary>
    /// Where the study lives, as a URL (<c>sqlite:///hone.db</c>, <c>postgresql://...</c>); the provider package
    /// (Hone.Storage.Sqlite, Hone.Storage.Postgres) must be loaded. Set this or <see cref="Storage"/>, not both.
    /// </summary>
    /// <value>Null: see <see cref="Storage"/>.</value>
    public StorageUrl? StorageUrl { get; init; }

    /// <summary>The study's name in <see cref="Storage"/>.</summary>
    /// <value>Null: a generated name.</value>
    public string? StudyName { get; init; }

    /// <summary>Continue a study of the same name in <see cref="Storage"/> instead of failing (use the same seed and data, so the folds match).</summary>
    /// <value>False.</value>
    public bool LoadIfExists { get; init; }

    /// <summary>
    /// More user attributes to record on the study, e.g. the data file's name and content hash, so that a later run
    /// can tell whether it resumes the study on the same data.
    /// </summary>
    /// <value>None.</value>
    public IReadOnlyDictionary<string, object?> StudyUserAttrs { get; init; } = new Dictionary<string, object?>();

    /// <summary>Columns that are neither label nor feature (ids, anything that should not be learned from).</summary>
    public IReadOnlyList<string> IgnoreColumns { get; init; } = [];

    /// <summary>
    /// Columns of a <see cref="Data.TabularData"/> to treat as categorical (one-hot encoded) whatever their cells look like,
    /// e.g. numeric codes. Without it a column is categorical when it is not numeric and has few distinct values.
    /// </summary>
    /// <value>Empty.</value>
    public IReadOnlyList<string> CategoricalColumns { get; init; } = [];

    /// <summary>Columns of a <see cref="Data.TabularData"/> to treat as free text (word and character n-grams) whatever their cells look like.</summary>
    /// <value>Empty.</value>
    public IReadOnlyList<string> TextColumns { get; init; } = [];

    /// <summary>
    /// When tuning on a <see cref="Data.TabularData"/>, whether the preprocessing is part of the search space ("prep.*"
    /// parameters: missing-value replacement, normalization for linear trainers, categorical encoding, text n-grams,
    /// feature selection, each only where the data has use for it). False uses one fixed featurization: missing numbers
    /// replaced by the mean, min–max normalization for linear trainers, one-hot encoding, ML.NET's text defaults.
    /// </summary>
    /// <value>True.</value>
    public bool TunePreprocessing { get; init; } = true;

    /// <summary>How many bootstrap resamples the confidence intervals use.</summary>
    /// <value>10,000 for fold means; the test interval uses 2,000 (each resample re-scores the test set).</value>
    public int BootstrapResamples { get; init; } = Statistics.Bootstrap.DefaultResamples;

    /// <summary>Receives a report after each trial.</summary>
    public IProgress<TuneProgress>? Progress { get; init; }

    /// <summary>
    /// How many of the best distinct configurations are re-evaluated after the search, on fresh splits of the tuning
    /// rows, before one is refit (<see cref="Selection.ReevaluationResult"/>): the winner is the best on the fresh folds,
    /// and the result reports how optimistic the best trial's tuning score was. 0 turns it off. Used with one objective
    /// and shuffled validation only.
    /// </summary>
    /// <value>
    /// Null: automatic, <see cref="Selection.ReevaluationDefaults.Top"/> when the tuning rows are at most
    /// <see cref="Selection.ReevaluationDefaults.AutomaticMaxRows"/>, else off.
    /// </value>
    /// <remarks>The cost is at most <c>ReevaluateTop × ReevaluationRepeats</c> trials' worth of fits; racing drops the clearly worse early.</remarks>
    public int? ReevaluateTop { get; init; }

    /// <summary>How many fresh splits the re-evaluated configurations are scored on (each the validation strategy with a new shuffle seed).</summary>
    /// <value><see cref="Selection.ReevaluationDefaults.Repeats"/>.</value>
    public int ReevaluationRepeats { get; init; } = Selection.ReevaluationDefaults.Repeats;

    /// <summary>Receives a report after each repeat of re-evaluation.</summary>
    public IProgress<Selection.ReevaluationProgress>? ReevaluationProgress { get; init; }

    /// <summary>The metric in effect.</summary>
    public TuningMetric ResolvedMetric => Metric ?? TuningMetrics.DefaultFor(Task);

    /// <summary>The validation in effect.</summary>
    public ValidationStrategy ResolvedValidation =>
        Validation ?? (Task.IsClassification() ? ValidationStrategy.StratifiedKFold(5) : ValidationStrategy.KFold(5));

    internal void Validate()
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(Task))
        {
            errors.Add($"Task {(int)Task} is not binary, multiclass or regression.");
        }

        if (Metric is { } m && !m.Fits(Task))
        {
            errors.Add($"Metric {m.ShortName()} does not fit task {Task.ShortName()}; use one of {string.Join(", ", TuningMetrics.For(Task).Select(x => x.ShortName()))}.");
        }

        if (Trials < 1)
        {
            errors.Add($"Trials must be at least 1, got {Trials}.");
        }

        if (TotalTrials is < 1)
        {
            errors.Add($"TotalTrials must be at least 1, got {TotalTrials}.");
        }

        if (Parallelism < 1)
        {
            errors.Add($"Parallelism must be at least 1, got {Parallelism}.");
        }

        if (!(TestFraction >= 0 && TestFraction < 1))
        {
            errors.Add($"TestFraction must be in [0, 1), got {TestFraction}.");
        }

        if (BootstrapResamples < 100)
        {
            errors.Add($"BootstrapResamples must be at least 100, got {BootstrapResamples}.");
        }

        if (Storage is not null && StorageUrl is not null)
        {
            errors.Add($"Set Storage or StorageUrl ({StorageUrl}), not both.");
        }

        if (SearchSpaces is { Count: 0 } || Trainers is { Count: 0 })
        {
            errors.Add("The trainer list is empty; leave it null for every trainer of the task.");
        }

        if (SearchSpaces?.FirstOrDefault(s => s.Task != Task) is { } wrong)
        {
            errors.Add($"Search space {wrong.Name} is for task {wrong.Task.ShortName()}, not {Task.ShortName()}.");
        }

        if (!Enum.IsDefined(SecondObjective))
        {
            errors.Add($"SecondObjective {(int)SecondObjective} is not none, size, latency or train-time.");
        }

        if (MaxSecondObjective is { } max && (!(max > 0) || !double.IsFinite(max) || SecondObjective == SecondObjective.None))
        {
            errors.Add(SecondObjective == SecondObjective.None
                ? "MaxSecondObjective needs a SecondObjective."
                : $"MaxSecondObjective must be a positive number, got {max}.");
        }

        if (TrialTimeLimit is { } time && time <= TimeSpan.Zero)
        {
            errors.Add($"TrialTimeLimit must be positive, got {time}.");
        }

        if (TrialMemoryLimitBytes is { } bytes && bytes < 1 << 20)
        {
            errors.Add($"TrialMemoryLimitBytes must be at least 1 MB (1048576), got {bytes}.");
        }

        if (CpuBudget is { } cpu && cpu <= TimeSpan.Zero)
        {
            errors.Add($"CpuBudget must be positive, got {cpu}.");
        }

        if (EnergyBudgetWattHours is { } wh && !(wh > 0 && double.IsFinite(wh)))
        {
            errors.Add($"EnergyBudgetWattHours must be a positive number, got {wh}.");
        }

        if (!(WattsPerCore > 0 && double.IsFinite(WattsPerCore)))
        {
            errors.Add($"WattsPerCore must be a positive number, got {WattsPerCore}.");
        }

        if (WarmStartFrom.Count > 0 && SecondObjective != SecondObjective.None)
        {
            errors.Add("WarmStartFrom works with one objective; it cannot be combined with a SecondObjective.");
        }

        if (ReevaluateTop is < 0 or > 100)
        {
            errors.Add($"ReevaluateTop must be from 0 (off) to 100, got {ReevaluateTop}.");
        }

        if (ReevaluationRepeats is < 1 or > 100)
        {
            errors.Add($"ReevaluationRepeats must be from 1 to 100, got {ReevaluationRepeats}.");
        }

        if (MetaLearnConfigurations < 1)
        {
            errors.Add($"MetaLearnConfigurations must be at least 1, got {MetaLearnConfigurations}.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid TuneOptions: " + string.Join(" ", errors));
        }
    }
}
