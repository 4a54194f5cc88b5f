using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Analysis.Importance;

/// <summary>
/// The complete trials an evaluation learns from, as columns: one per assessed parameter (model space) and the
/// objective's value. Built from the public study API only.
/// </summary>
internal sealed class ImportanceData
{
    private ImportanceData(
        IReadOnlyList<string> names, IReadOnlyList<ImportanceDimension> dimensions, IReadOnlyList<FrozenTrial> trials, double[][] columns, double[] targets, bool lowerIsBetter)
    {
        Names = names;
        Dimensions = dimensions;
        Trials = trials;
        Columns = columns;
        Targets = targets;
        LowerIsBetter = lowerIsBetter;
    }

    /// <summary>Every assessed parameter, single-valued ones included, sorted by name.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The parameters that can vary (single-valued ones have importance 0 and are not modelled).</summary>
    public IReadOnlyList<ImportanceDimension> Dimensions { get; }

    public IReadOnlyList<FrozenTrial> Trials { get; }

    /// <summary>Columns[d][t]: dimension d of trial t in model space.</summary>
    public double[][] Columns { get; }

    public double[] Targets { get; }

    public bool LowerIsBetter { get; }

    public int Count => Targets.Length;

    public static ImportanceData From(Study study, ImportanceOptions options)
    {
        var objective = options.Objective;
        if (objective >= study.Directions.Count)
        {
            throw new ArgumentException(
                $"ImportanceOptions.Objective is {objective}, but study \"{study.Name}\" has {study.Directions.Count} objective(s); use 0 to {study.Directions.Count - 1}.",
                nameof(options));
        }

        var complete = study.GetTrials(TrialState.Complete)
            .Where(t => t.Values is { } v && v.Count > objective && double.IsFinite(v[objective]))
            .ToList();
        if (complete.Count < 2)
        {
            throw new ArgumentException(
                $"Study \"{study.Name}\" has {complete.Count} complete trial(s) with a finite value of objective {objective}; importance needs at least 2.",
                nameof(study));
        }

        var (names, trials) = options.Parameters is { } given ? Named(study, complete, given) : Intersection(study, complete);
        var distributions = trials[0].Distributions;
        var dims = names.Where(n => !distributions[n].IsSingle).Select(n => new ImportanceDimension(n, distributions[n])).ToList();
        var columns = new double[dims.Count][];
        for (var d = 0; d < dims.Count; d++)
        {
            var column = new double[trials.Count];
            for (var t = 0; t < trials.Count; t++)
            {
                column[t] = dims[d].ToModel(trials[t].InternalParams[dims[d].Name]);
            }

            columns[d] = column;
        }

        var targets = trials.Select(t => t.Values![objective]).ToArray();
        return new ImportanceData(names, dims, trials, columns, targets, study.Directions[objective] != StudyDirection.Maximize);
    }

    private static (List<string> Names, List<FrozenTrial> Trials) Intersection(Study study, List<FrozenTrial> complete)
    {
        var names = new List<string>();
        foreach (var (name, distribution) in complete[0].Distributions)
        {
            if (complete.All(t => t.Distributions.TryGetValue(name, out var d) && d.Equals(distribution)))
            {
                names.Add(name);
            }
        }

        if (names.Count == 0)
        {
            throw new ArgumentException(
                $"No parameter is in every complete trial of study \"{study.Name}\" with the same distribution; " +
                "name the parameters to assess in ImportanceOptions.Parameters.", nameof(study));
        }

        names.Sort(StringComparer.Ordinal);
        return (names, complete);
    }

    private static (List<string> Names, List<FrozenTrial> Trials) Named(Study study, List<FrozenTrial> complete, IReadOnlyList<string> given)
    {
        var known = complete.SelectMany(t => t.Distributions.Keys).ToHashSet(StringComparer.Ordinal);
        var unknown = given.Where(n => !known.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"ImportanceOptions.Parameters names {string.Join(", ", unknown.Select(n => $"\"{n}\""))}, which no complete trial of study \"{study.Name}\" has; " +
                $"its parameters are: {string.Join(", ", known.Order(StringComparer.Ordinal))}.", nameof(study));
        }

        var trials = complete.Where(t => given.All(t.Distributions.ContainsKey)).ToList();
        if (trials.Count < 2)
        {
            throw new ArgumentException(
                $"ImportanceOptions.Parameters: only {trials.Count} complete trial(s) of study \"{study.Name}\" have all of {string.Join(", ", given)}; importance needs at least 2.",
                nameof(study));
        }

        foreach (var name in given)
        {
            var first = trials[0].Distributions[name];
            if (trials.FirstOrDefault(t => !t.Distributions[name].Equals(first)) is { } other)
            {
                throw new ArgumentException(
                    $"ImportanceOptions.Parameters: parameter \"{name}\" is {first} in trial #{trials[0].Number} but {other.Distributions[name]} in trial #{other.Number}; " +
                    "importance needs one distribution per parameter.", nameof(study));
            }
        }

        var names = given.ToList();
        names.Sort(StringComparer.Ordinal);
        return (names, trials);
    }

    /// <summary>Whether every target is the same number, when no parameter can explain anything.</summary>
    public bool TargetsAreConstant() => Targets.All(v => v == Targets[0]);

    /// <summary>The distribution of an assessed parameter.</summary>
    public Distribution DistributionOf(string name) => Trials[0].Distributions[name];
}
