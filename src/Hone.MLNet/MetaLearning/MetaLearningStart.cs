using Hone.MLNet.Pipelines;
using Hone.MLNet.SearchSpaces;
using Hone.Studies;

namespace Hone.MLNet.MetaLearning;

/// <summary>
/// Seeds a new study from a <see cref="Portfolio"/>: the chosen configurations, adapted to this study's trainers and
/// preprocessing choices, are enqueued as its first trials, and the study records where they came from.
/// </summary>
internal static class MetaLearningStart
{
    /// <summary>Enqueues the configurations; returns a warning for the user when there was nothing to draw from.</summary>
    public static string? Apply(Study study, Portfolio portfolio, DatasetMetaFeatures target, TuningTask task, IReadOnlyList<TrainerSearchSpace> spaces,
        PreprocessingSpace? preprocessing, bool tunePreprocessing, int count)
    {
        var trainers = spaces.Select(s => s.Name).ToArray();
        var neighbours = portfolio.Neighbours(target, task);
        var chosen = portfolio.Choose(target, task, trainers, count);
        var record = new Dictionary<string, object?>
        {
            ["neighbours"] = neighbours.Take(5).Select(n => new Dictionary<string, object?>
            {
                ["dataset"] = n.Dataset,
                ["distance"] = Math.Round(n.Distance, 4),
                ["studies"] = n.Studies.ToArray(),
            }).ToArray(),
            ["configurations"] = chosen.Select(e => new Dictionary<string, object?>
            {
                ["dataset"] = e.Dataset,
                ["study"] = e.Study,
                ["trial"] = e.TrialNumber,
                ["trainer"] = e.Trainer,
                ["score"] = e.Score,
            }).ToArray(),
        };
        study.SetUserAttr(Portfolio.SourcesKey, record);
        if (chosen.Count == 0)
        {
            var family = task.IsClassification() ? "classification" : "regression";
            return neighbours.Count == 0
                ? $"Meta-learning (--meta-learn) found no earlier {family} study with recorded meta-features, so this study starts without it; tune other datasets with hone tune into the same storage first."
                : $"Meta-learning (--meta-learn) found no configuration of the trainers {string.Join(", ", trainers)} on the earlier datasets ({string.Join(", ", neighbours.Select(n => n.Dataset))}), so this study starts without it.";
        }

        foreach (var entry in chosen)
        {
            var space = spaces.First(s => s.Name == entry.Trainer);
            var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (spaces.Count > 1)
            {
                parameters["trainer"] = space.Name;
            }

            foreach (var p in space.Parameters)
            {
                var name = space.ParameterName(p);
                if (entry.Parameters.TryGetValue(name, out var value) && Portfolio.Fits(p.Distribution, value))
                {
                    parameters[name] = value;
                }
            }

            if (preprocessing is not null && tunePreprocessing)
            {
                foreach (var (name, value) in entry.Parameters)
                {
                    if (name.StartsWith("prep.", StringComparison.Ordinal) && preprocessing.Fits(name, value))
                    {
                        parameters[name] = value;
                    }
                }
            }

            study.Enqueue(parameters, new Dictionary<string, object?>
            {
                ["meta_learned_from"] = entry.Dataset,
                ["meta_learned_study"] = entry.Study,
                ["meta_learned_value"] = entry.Score,
            }, skipIfExists: true);
        }

        return null;
    }

}
