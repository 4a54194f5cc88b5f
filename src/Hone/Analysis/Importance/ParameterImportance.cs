using Hone.Samplers;
using Hone.Studies;

namespace Hone.Analysis.Importance;

/// <summary>
/// Which parameters of a study matter for its objective: fANOVA (Hutter, Hoos and Leyton-Brown, ICML 2014) on a
/// random-forest surrogate, PED-ANOVA (Watanabe, Bansal and Hutter, IJCAI 2023), or the forest's mean decrease in
/// impurity (Breiman 2001) — the three evaluators of Optuna's <c>optuna.importance</c>, computed from the study's
/// complete trials through the public study API.
/// </summary>
/// <remarks>
/// <para>Importances are normalized to sum to 1, as Optuna's <c>get_param_importances</c> reports them, and each comes
/// with a spread (its standard deviation across the forest's trees, or across bootstrap resamples for PED-ANOVA), so a
/// ranking of two close parameters can be read with its uncertainty.</para>
/// <para>Differences from Optuna 3.1: log-scaled parameters are modelled in log space (the space they were sampled
/// in); integer and stepped ranges are widened by half a step at each end, so every value has the same weight in
/// fANOVA's average over the space; categorical parameters are split into sets of choices instead of being one-hot
/// encoded; and fANOVA also reports pairwise interactions.</para>
/// </remarks>
public static class ParameterImportance
{
    /// <summary>Evaluates the importance of the study's parameters for one objective.</summary>
    /// <param name="study">The study; its complete trials with a finite value of the objective are used.</param>
    /// <param name="options">The method and its settings; null for fANOVA with Optuna's defaults.</param>
    /// <exception cref="ArgumentException">
    /// The options are invalid, name an unknown parameter or objective, or the study has fewer than 2 usable trials,
    /// no parameter common to them, or the same value in all of them. The message says which.
    /// </exception>
    public static ImportanceResult Evaluate(Study study, ImportanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(study);
        options ??= new ImportanceOptions();
        var problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(options));
        }

        var data = ImportanceData.From(study, options);
        if (data.Dimensions.Count == 0)
        {
            throw new ArgumentException(
                $"Every assessed parameter of study \"{study.Name}\" ({string.Join(", ", data.Names)}) has a single possible value; there is nothing to compare.",
                nameof(study));
        }

        if (data.TargetsAreConstant())
        {
            throw new ArgumentException(
                $"All {data.Count} trials of study \"{study.Name}\" used have the same value of objective {options.Objective} ({data.Targets[0]}); no parameter explains any of it.",
                nameof(study));
        }

        var seed = options.Seed ?? SeededRandom.NewSeed();
        var d = data.Dimensions.Count;
        double[] importance, spread;
        double[]? fractions = null;
        var interactions = new List<InteractionScore>();
        switch (options.Method)
        {
            case ImportanceMethod.Fanova:
            {
                var forest = RandomForest.Grow(data, options, seed);
                var fanova = FanovaAnalysis.Run(forest, options.Interactions && d > 1);
                fractions = fanova.MainMean;
                var total = fanova.MainMean.Sum();
                importance = total > 0 ? [.. fanova.MainMean.Select(x => x / total)] : [.. Enumerable.Repeat(1.0 / d, d)];
                spread = total > 0 ? [.. fanova.MainStd.Select(x => x / total)] : new double[d];
                if (options.Interactions)
                {
                    for (var i = 0; i < d; i++)
                    {
                        for (var j = i + 1; j < d; j++)
                        {
                            interactions.Add(new InteractionScore(
                                data.Dimensions[i].Name, data.Dimensions[j].Name, fanova.PairMean[i, j], fanova.PairStd[i, j]));
                        }
                    }

                    interactions.Sort((a, b) => b.VarianceFraction != a.VarianceFraction
                        ? b.VarianceFraction.CompareTo(a.VarianceFraction)
                        : string.CompareOrdinal(a.First + "\0" + a.Second, b.First + "\0" + b.Second));
                }

                break;
            }

            case ImportanceMethod.MeanDecreaseImpurity:
            {
                var forest = RandomForest.Grow(data, options, seed);
                (importance, spread) = MeanDecreaseImpurity.Run(forest);
                if (!(importance.Sum() > 0))
                {
                    importance = [.. Enumerable.Repeat(1.0 / d, d)];
                }

                break;
            }

            default:
                (importance, spread) = PedAnovaAnalysis.Run(data, options, seed);
                break;
        }

        var scores = new List<ParameterScore>(data.Names.Count);
        for (var i = 0; i < d; i++)
        {
            scores.Add(new ParameterScore(data.Dimensions[i].Name, importance[i], spread[i], fractions?[i]));
        }

        foreach (var name in data.Names.Where(n => data.Dimensions.All(x => x.Name != n)))
        {
            scores.Add(new ParameterScore(name, 0, 0, fractions is null ? null : 0));
        }

        scores.Sort((a, b) => b.Importance != a.Importance ? b.Importance.CompareTo(a.Importance) : string.CompareOrdinal(a.Name, b.Name));
        return new ImportanceResult(options.Method, options.Objective, data.Count, scores, interactions);
    }
}
