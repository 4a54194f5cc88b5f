using System.Globalization;
using System.Text.Json;
using Hone.Distributions;
using Hone.Storage;
using Hone.Studies;
using Hone.Trials;

namespace Hone.MLNet.MetaLearning;

/// <summary>
/// Configurations that did well on earlier datasets, each with its dataset's meta-features: a new study starts from the
/// best configurations of the nearest earlier datasets, as in auto-sklearn's meta-learning warm start (Feurer,
/// Springenberg and Hutter 2015, "Initializing Bayesian hyperparameter optimization via meta-learning", AAAI).
/// </summary>
/// <remarks>
/// <para>
/// Distance: each meta-feature (<see cref="DatasetMetaFeatures.Names"/>) is divided by its standard deviation over
/// the portfolio's datasets (one vector per dataset, every task), and the distance is the Euclidean distance of the
/// scaled vectors; a meta-feature that is the same on every dataset is left out. Scaling makes a difference of one
/// standard deviation count the same for every meta-feature, whatever its unit.
/// </para>
/// <para>
/// Tasks: binary and multiclass datasets are neighbours of each other (the trainers and their parameters have the same
/// names; the number of classes is itself a meta-feature), regression datasets only of regression datasets. A
/// configuration is offered only when its trainer is among the new study's trainers.
/// </para>
/// </remarks>
public sealed class Portfolio
{
    /// <summary>The study user attribute on a meta-learned study: the nearest datasets (with distances and studies) and the configurations it started from.</summary>
    public const string SourcesKey = "hone.meta_learned_from";

    private readonly double[] _scale;

    /// <summary>A portfolio of the given entries.</summary>
    public Portfolio(IEnumerable<PortfolioEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = [.. entries];
        if (Entries.Any(e => e is null))
        {
            throw new ArgumentException("A portfolio entry is null.", nameof(entries));
        }

        var vectors = Entries.GroupBy(e => e.Dataset, StringComparer.Ordinal).Select(g => g.First().MetaFeatures.ToVector()).ToArray();
        _scale = new double[DatasetMetaFeatures.Names.Count];
        for (var i = 0; i < _scale.Length; i++)
        {
            if (vectors.Length < 2)
            {
                _scale[i] = 1;
                continue;
            }

            var mean = vectors.Average(v => v[i]);
            var sd = Math.Sqrt(vectors.Sum(v => (v[i] - mean) * (v[i] - mean)) / (vectors.Length - 1));
            _scale[i] = sd > 1e-12 ? sd : 0;
        }
    }

    /// <summary>The configurations, in the order given.</summary>
    public IReadOnlyList<PortfolioEntry> Entries { get; }

    /// <summary>The datasets the portfolio has configurations for.</summary>
    public IReadOnlyList<string> Datasets => Entries.Select(e => e.Dataset).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// The portfolio of every study in <paramref name="storage"/> that recorded meta-features (<see cref="DatasetMetaFeatures.AttributeKey"/>,
    /// as <see cref="Tuning.MLNetTuner"/> does) and has a complete trial: its <paramref name="configurationsPerStudy"/>
    /// best distinct configurations. Studies with several objectives are skipped.
    /// </summary>
    public static Portfolio FromStorage(IStorage storage, int configurationsPerStudy = 3)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentOutOfRangeException.ThrowIfLessThan(configurationsPerStudy, 1);
        var entries = new List<PortfolioEntry>();
        foreach (var study in storage.GetAllStudies())
        {
            if (study.Directions.Count != 1)
            {
                continue;
            }

            var attrs = storage.GetStudyUserAttrs(study.StudyId);
            if (!attrs.TryGetValue(DatasetMetaFeatures.AttributeKey, out var metaJson) || !attrs.TryGetValue("hone.mlnet", out var mlnet)
                || mlnet.ValueKind != JsonValueKind.Object || !mlnet.TryGetProperty("task", out var taskJson) || taskJson.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            DatasetMetaFeatures meta;
            TuningTask task;
            try
            {
                meta = DatasetMetaFeatures.FromJson(metaJson);
                task = TuningTasks.Parse(taskJson.GetString()!);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                continue;
            }

            var metric = mlnet.TryGetProperty("metric", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "?";
            var dataset = attrs.TryGetValue("data_file", out var file) && file.ValueKind == JsonValueKind.String ? file.GetString()! : study.Name;
            var sign = study.Directions[0] == StudyDirection.Maximize ? -1 : 1;
            var best = storage.GetAllTrials(study.StudyId)
                .Where(t => t.State == TrialState.Complete && t.IsFeasible && t.Values is { Count: 1 } v && double.IsFinite(v[0]))
                .OrderBy(t => sign * t.Values![0]).ThenBy(t => t.Number);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var trial in best)
            {
                if (seen.Count == configurationsPerStudy)
                {
                    break;
                }

                if (seen.Add(Key(trial.Params)))
                {
                    entries.Add(new PortfolioEntry(dataset, study.Name, trial.Number, task, metric, meta, TrainerOf(trial), trial.Params, trial.Values![0], seen.Count - 1));
                }
            }
        }

        return new Portfolio(entries);
    }

    /// <summary>The distance between two datasets' meta-features, each scaled by its standard deviation over this portfolio's datasets (see the remarks).</summary>
    public double Distance(DatasetMetaFeatures a, DatasetMetaFeatures b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var x = a.ToVector();
        var y = b.ToVector();
        double sum = 0;
        for (var i = 0; i < x.Length; i++)
        {
            if (_scale[i] > 0)
            {
                var d = (x[i] - y[i]) / _scale[i];
                sum += d * d;
            }
        }

        return Math.Sqrt(sum);
    }

    /// <summary>The portfolio's datasets of a task compatible with <paramref name="task"/> (see the remarks), nearest to <paramref name="target"/> first.</summary>
    public IReadOnlyList<PortfolioNeighbour> Neighbours(DatasetMetaFeatures target, TuningTask task)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Entries.Where(e => Compatible(e.Task, task))
            .GroupBy(e => e.Dataset, StringComparer.Ordinal)
            .Select(g => new PortfolioNeighbour(g.Key, Distance(target, g.First().MetaFeatures), g.Select(e => e.Study).Distinct(StringComparer.Ordinal).ToArray()))
            .OrderBy(n => n.Distance).ThenBy(n => n.Dataset, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>
    /// The configurations to try first on a new dataset: the best configuration of each of the
    /// <paramref name="neighbours"/> nearest datasets in turn (nearest first), then their second best, and so on, up to
    /// <paramref name="count"/>, skipping configurations whose trainer is not in <paramref name="trainers"/> and repeats.
    /// </summary>
    public IReadOnlyList<PortfolioEntry> Choose(DatasetMetaFeatures target, TuningTask task, IReadOnlyCollection<string> trainers, int count = 5, int neighbours = 5)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(trainers);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(neighbours, 1);
        var nearest = Neighbours(target, task).Take(neighbours).ToArray();
        var queues = nearest.Select(n => new Queue<PortfolioEntry>(Entries
            .Where(e => e.Dataset == n.Dataset && Compatible(e.Task, task) && trainers.Contains(e.Trainer, StringComparer.Ordinal))
            .OrderBy(e => e.Rank).ThenBy(e => e.Study, StringComparer.Ordinal))).ToArray();
        var chosen = new List<PortfolioEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (chosen.Count < count && queues.Any(q => q.Count > 0))
        {
            foreach (var queue in queues)
            {
                while (queue.Count > 0 && chosen.Count < count)
                {
                    var entry = queue.Dequeue();
                    if (seen.Add(Key(entry.Parameters)))
                    {
                        chosen.Add(entry);
                        break;
                    }
                }
            }
        }

        return chosen;
    }

    /// <summary>Binary and multiclass are compatible with each other; regression only with regression.</summary>
    internal static bool Compatible(TuningTask a, TuningTask b) => a.IsClassification() == b.IsClassification();

    internal static string Key(IReadOnlyDictionary<string, object?> parameters) =>
        string.Join("\u001f", parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + Convert.ToString(p.Value, CultureInfo.InvariantCulture)));

    private static string TrainerOf(FrozenTrial trial)
    {
        if (trial.Params.TryGetValue("trainer", out var t) && t is string name)
        {
            return name;
        }

        if (trial.UserAttrs.TryGetValue("trainer", out var a) && a.ValueKind == JsonValueKind.String)
        {
            return a.GetString()!;
        }

        var first = trial.Params.Keys.FirstOrDefault(k => !k.StartsWith("prep.", StringComparison.Ordinal) && k.Contains('.', StringComparison.Ordinal));
        return first is null ? "?" : first[..first.IndexOf('.', StringComparison.Ordinal)];
    }

    internal static bool Fits(Distribution distribution, object? value)
    {
        try
        {
            return value is not null && distribution.Contains(distribution.ToInternal(value));
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or FormatException or OverflowException)
        {
            return false;
        }
    }
}
