using Hone.Distributions;
using Hone.Trials;

namespace Hone.Bench.Problems;

/// <summary>
/// A conditional space shaped like choosing and tuning a classifier: a categorical picks one of four
/// branches, each with its own parameters (2 to 4, mixed kinds). Each branch is a floor plus penalties
/// that are zero at its best values; the boosting branch, the one with most parameters and a coupled pair
/// (the best number of rounds is 20 / learning rate), holds the global minimum 0 at learning rate 0.05,
/// 400 rounds, depth 6, subsample 0.8. The other floors are 0.35 (linear), 0.15 (svm), 0.08 (forest).
/// </summary>
internal sealed class ClassifierChoice : BenchmarkProblem
{
    private static readonly CategoricalDistribution Classifier = new(["linear", "svm", "forest", "boosting"]);
    private static readonly FloatDistribution LinearC = new(1e-4, 1e4, log: true);
    private static readonly CategoricalDistribution LinearPenalty = new(["l1", "l2"]);
    private static readonly FloatDistribution SvmC = new(1e-3, 1e3, log: true);
    private static readonly FloatDistribution SvmGamma = new(1e-5, 1, log: true);
    private static readonly CategoricalDistribution SvmKernel = new(["rbf", "poly", "sigmoid"]);
    private static readonly IntDistribution ForestTrees = new(10, 1000, log: true);
    private static readonly IntDistribution ForestDepth = new(2, 32);
    private static readonly FloatDistribution ForestFeatures = new(0.1, 1.0);
    private static readonly FloatDistribution BoostLearningRate = new(1e-3, 1, log: true);
    private static readonly IntDistribution BoostRounds = new(10, 1000, step: 10);
    private static readonly IntDistribution BoostDepth = new(1, 12);
    private static readonly FloatDistribution BoostSubsample = new(0.5, 1.0);

    public override string Name => "conditional";

    public override string Description =>
        "Conditional: a categorical picks 1 of 4 branches with 2-4 own params each (13 params in all)";

    public override double Optimum => 0;

    public override IReadOnlyList<KeyValuePair<string, Distribution>> Space { get; } =
    [
        new("classifier", Classifier),
        new("linear_C", LinearC),
        new("linear_penalty", LinearPenalty),
        new("svm_C", SvmC),
        new("svm_gamma", SvmGamma),
        new("svm_kernel", SvmKernel),
        new("forest_n_estimators", ForestTrees),
        new("forest_max_depth", ForestDepth),
        new("forest_max_features", ForestFeatures),
        new("boost_learning_rate", BoostLearningRate),
        new("boost_n_rounds", BoostRounds),
        new("boost_max_depth", BoostDepth),
        new("boost_subsample", BoostSubsample),
    ];

    public override IReadOnlyDictionary<string, object?> Minimizer { get; } = new Dictionary<string, object?>
    {
        ["classifier"] = "boosting",
        ["boost_learning_rate"] = 0.05,
        ["boost_n_rounds"] = 400,
        ["boost_max_depth"] = 6,
        ["boost_subsample"] = 0.8,
    };

    public override double Evaluate(Trial trial) => SuggestChoice(trial, "classifier", Classifier) switch
    {
        "linear" => Linear(trial),
        "svm" => Svm(trial),
        "forest" => Forest(trial),
        _ => Boosting(trial),
    };

    private static double Linear(Trial trial)
    {
        var c = SuggestNumber(trial, "linear_C", LinearC);
        var penalty = SuggestChoice(trial, "linear_penalty", LinearPenalty);
        return 0.35 + (0.02 * Square(Math.Log10(c))) + (penalty == "l1" ? 0.05 : 0);
    }

    private static double Svm(Trial trial)
    {
        var c = SuggestNumber(trial, "svm_C", SvmC);
        var gamma = SuggestNumber(trial, "svm_gamma", SvmGamma);
        var kernel = SuggestChoice(trial, "svm_kernel", SvmKernel);
        var kernelPenalty = kernel switch
        {
            "rbf" => 0.0,
            "poly" => 0.08,
            _ => 0.2,
        };
        return 0.15 + (0.03 * Square(Math.Log10(c) - 1)) + (0.05 * Square(Math.Log10(gamma) + 2)) + kernelPenalty;
    }

    private static double Forest(Trial trial)
    {
        var trees = SuggestNumber(trial, "forest_n_estimators", ForestTrees);
        var depth = SuggestNumber(trial, "forest_max_depth", ForestDepth);
        var features = SuggestNumber(trial, "forest_max_features", ForestFeatures);
        return 0.08 + (0.05 * Square(Math.Log10(trees / 300))) + (0.002 * Square(depth - 14)) + (0.5 * Square(features - 0.4));
    }

    private static double Boosting(Trial trial)
    {
        var lr = SuggestNumber(trial, "boost_learning_rate", BoostLearningRate);
        var rounds = SuggestNumber(trial, "boost_n_rounds", BoostRounds);
        var depth = SuggestNumber(trial, "boost_max_depth", BoostDepth);
        var subsample = SuggestNumber(trial, "boost_subsample", BoostSubsample);
        return (0.1 * Square(Math.Log10(lr / 0.05)))
            + (0.04 * Square(Math.Log10(rounds * lr / 20)))
            + (0.01 * Square(depth - 6))
            + (0.4 * Square(subsample - 0.8));
    }

    private static double Square(double v) => v * v;
}
