namespace Hone.Analysis.Importance;

/// <summary>How <see cref="ParameterImportance.Evaluate"/> measures the importance of a parameter.</summary>
public enum ImportanceMethod
{
    /// <summary>
    /// fANOVA (Hutter, Hoos and Leyton-Brown, "An Efficient Approach for Assessing Hyperparameter Importance",
    /// ICML 2014): the share of the objective's variance over the whole search space that each parameter explains
    /// alone, computed exactly on every tree of a random-forest surrogate. Also gives pairwise interactions.
    /// </summary>
    Fanova,

    /// <summary>
    /// PED-ANOVA (Watanabe, Bansal and Hutter, "PED-ANOVA: Efficiently Quantifying Hyperparameter Importance in
    /// Arbitrary Subspaces", IJCAI 2023): how far the distribution of each parameter among the best trials lies from
    /// its distribution among all trials (a Pearson divergence). Needs no surrogate, so it is fast.
    /// </summary>
    PedAnova,

    /// <summary>
    /// Mean decrease in impurity (Breiman, "Random Forests", Machine Learning 2001): how much the splits on each
    /// parameter reduce the squared error in a random-forest surrogate, as Optuna's
    /// MeanDecreaseImpurityImportanceEvaluator reports it.
    /// </summary>
    MeanDecreaseImpurity,
}
