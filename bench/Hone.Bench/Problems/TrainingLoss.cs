using Hone.Distributions;
using Hone.Trials;

namespace Hone.Bench.Problems;

/// <summary>
/// A mixed space shaped like tuning a neural network: log-scaled floats, plain and stepped integers, a
/// log-scaled integer and two categoricals, with interactions (the best learning rate depends on the
/// optimizer, the best dropout on the depth). A sum of penalties, each zero at its best value, so the
/// minimum is exactly 0: adam, learning rate 1e-3, 3 layers, 128 units, batch 64, dropout 0.1, weight
/// decay 1e-4, gelu.
/// </summary>
internal sealed class TrainingLoss : BenchmarkProblem
{
    private static readonly FloatDistribution LearningRate = new(1e-5, 1, log: true);
    private static readonly CategoricalDistribution Optimizer = new(["sgd", "momentum", "adam", "rmsprop"]);
    private static readonly IntDistribution Layers = new(1, 8);
    private static readonly IntDistribution Units = new(8, 1024, log: true);
    private static readonly IntDistribution BatchSize = new(16, 512, step: 16);
    private static readonly FloatDistribution Dropout = new(0, 0.5);
    private static readonly FloatDistribution WeightDecay = new(1e-6, 1e-1, log: true);
    private static readonly CategoricalDistribution Activation = new(["relu", "tanh", "sigmoid", "gelu"]);

    public override string Name => "mixed8";

    public override string Description =>
        "Mixed: log floats, ints (plain, log, stepped), 2 categoricals, with interactions; d = 8";

    public override double Optimum => 0;

    public override IReadOnlyList<KeyValuePair<string, Distribution>> Space { get; } =
    [
        new("learning_rate", LearningRate),
        new("optimizer", Optimizer),
        new("num_layers", Layers),
        new("hidden_units", Units),
        new("batch_size", BatchSize),
        new("dropout", Dropout),
        new("weight_decay", WeightDecay),
        new("activation", Activation),
    ];

    public override IReadOnlyDictionary<string, object?> Minimizer { get; } = new Dictionary<string, object?>
    {
        ["learning_rate"] = 1e-3,
        ["optimizer"] = "adam",
        ["num_layers"] = 3,
        ["hidden_units"] = 128,
        ["batch_size"] = 64,
        ["dropout"] = 0.1,
        ["weight_decay"] = 1e-4,
        ["activation"] = "gelu",
    };

    public override double Evaluate(Trial trial)
    {
        var lr = SuggestNumber(trial, "learning_rate", LearningRate);
        var optimizer = SuggestChoice(trial, "optimizer", Optimizer);
        var layers = SuggestNumber(trial, "num_layers", Layers);
        var units = SuggestNumber(trial, "hidden_units", Units);
        var batch = SuggestNumber(trial, "batch_size", BatchSize);
        var dropout = SuggestNumber(trial, "dropout", Dropout);
        var decay = SuggestNumber(trial, "weight_decay", WeightDecay);
        var activation = SuggestChoice(trial, "activation", Activation);

        var (optimizerPenalty, bestLog10Lr) = optimizer switch
        {
            "sgd" => (0.3, -1.0),
            "momentum" => (0.1, -1.5),
            "adam" => (0.0, -3.0),
            _ => (0.05, -2.5),
        };
        var activationPenalty = activation switch
        {
            "relu" => 0.02,
            "tanh" => 0.1,
            "sigmoid" => 0.3,
            _ => 0.0,
        };
        var bestDropout = 0.05 * (layers - 1);

        return optimizerPenalty
            + (0.5 * Square(Math.Log10(lr) - bestLog10Lr))
            + (0.05 * Square(layers - 3))
            + (0.1 * Square(Math.Log2(units) - 7))
            + (0.1 * Square(Math.Log2(batch) - 6))
            + (4 * Square(dropout - bestDropout))
            + (0.05 * Square(Math.Log10(decay) + 4))
            + activationPenalty;
    }

    private static double Square(double v) => v * v;
}
