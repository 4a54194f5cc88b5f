namespace Hone.MLNet.MetaLearning;

/// <summary>One configuration that did well on an earlier dataset, with that dataset's meta-features.</summary>
/// <param name="Dataset">The dataset's name: the study's <c>data_file</c> user attribute (set by <c>hone tune</c>), else the study's name.</param>
/// <param name="Study">The study it comes from.</param>
/// <param name="TrialNumber">The trial that scored it.</param>
/// <param name="Task">The study's task.</param>
/// <param name="Metric">The study's metric (short name, e.g. "auc").</param>
/// <param name="MetaFeatures">The dataset's meta-features as the study recorded them.</param>
/// <param name="Trainer">The trainer's name (e.g. "LightGbm").</param>
/// <param name="Parameters">The trial's parameters as the study recorded them ("trainer", "Trainer.Option", "prep.*").</param>
/// <param name="Score">Its cross-validated score in that study.</param>
/// <param name="Rank">Its rank among the study's distinct configurations: 0 for the best.</param>
public sealed record PortfolioEntry(
    string Dataset,
    string Study,
    int TrialNumber,
    TuningTask Task,
    string Metric,
    DatasetMetaFeatures MetaFeatures,
    string Trainer,
    IReadOnlyDictionary<string, object?> Parameters,
    double Score,
    int Rank);
