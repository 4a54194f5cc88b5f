using System.Globalization;
using Hone.MLNet.Tuning;
using Hone.Storage;

namespace Hone.MLNet.Retuning;

/// <summary>How <see cref="Retuner"/> decides whether to re-tune, and how the new study runs.</summary>
public sealed class RetuneOptions
{
    /// <summary>The significance level of the per-column shift tests after Holm's correction (<see cref="Statistics.DistributionShift"/>).</summary>
    /// <value>0.05.</value>
    public double Alpha { get; init; } = 0.05;

    /// <summary>
    /// The tolerated loss of the metric, in its own units: the old best configuration's score on the new data counts as
    /// a significant drop only when its whole 95% bootstrap interval is worse than the old cross-validated mean by more
    /// than this (see <see cref="ScoreDrop"/>).
    /// </summary>
    /// <value>0.02 (e.g. 0.02 of AUC or accuracy; for RMSE or MAE choose a value in the label's units).</value>
    public double MaxDrop { get; init; } = 0.02;

    /// <summary>Re-tune even when neither a shift nor a drop is found.</summary>
    /// <value>False.</value>
    public bool Force { get; init; }

    /// <summary>Trials of the new study (its first ones are the old study's three best configurations).</summary>
    /// <value>50.</value>
    public int Trials { get; init; } = 50;

    /// <summary>How many trials run at once.</summary>
    /// <value>1.</value>
    public int Parallelism { get; init; } = 1;

    /// <summary>After this long no new trial starts.</summary>
    /// <value>Null: no limit.</value>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Where the new study is created: pass the old study's storage so the two sit side by side and are linked.</summary>
    /// <value>Null: a new in-memory storage.</value>
    public IStorage? Storage { get; init; }

    /// <summary>The new study's name.</summary>
    /// <value>Null: <c>&lt;old&gt;-retune-N</c> with the first N not taken in <see cref="Storage"/>.</value>
    public string? StudyName { get; init; }

    /// <summary>The seed of the new study's splits, sampler and bootstrap.</summary>
    /// <value>Null: the old study's seed.</value>
    public int? Seed { get; init; }

    /// <summary>The trainers the new study chooses among.</summary>
    /// <value>Null: the old study's trainers (read from its trials).</value>
    public IReadOnlyList<string>? Trainers { get; init; }

    /// <summary>More user attributes for the new study (e.g. the data file's name and hash).</summary>
    /// <value>None.</value>
    public IReadOnlyDictionary<string, object?> StudyUserAttrs { get; init; } = new Dictionary<string, object?>();

    /// <summary>Receives a report after each trial of the new study.</summary>
    public IProgress<TuneProgress>? Progress { get; init; }

    internal void Validate()
    {
        var errors = new List<string>();
        if (!(Alpha > 0 && Alpha < 1))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Alpha must be in (0, 1), got {Alpha}."));
        }

        if (!(MaxDrop >= 0 && double.IsFinite(MaxDrop)))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"MaxDrop must be a non-negative number, got {MaxDrop}."));
        }

        if (Trials < 1)
        {
            errors.Add($"Trials must be at least 1, got {Trials}.");
        }

        if (Parallelism < 1)
        {
            errors.Add($"Parallelism must be at least 1, got {Parallelism}.");
        }

        if (Trainers is { Count: 0 })
        {
            errors.Add("The trainer list is empty; leave it null for the old study's trainers.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid RetuneOptions: " + string.Join(" ", errors));
        }
    }
}
