using Hone.Distributions;
using Hone.Trials;

namespace Hone.Bench.Problems;

/// <summary>
/// A decision tree's loss surface in miniature: about 89% of the space is a flat plateau of loss 1 (the
/// degenerate trees that predict a constant), and the rest is a smooth bowl with minimum 0. The plateau is where
/// the tree is too shallow (max_depth &lt; 16), its leaves too big (min_samples_leaf &gt; 16) or its pruning too
/// strong (ccp_alpha &gt; 1e-3); max_features only moves the bowl. Ties and plateaus are normal in real tuning, and a
/// sampler that learns nothing from tied values should explore like random search until a better value appears.
/// </summary>
internal sealed class Plateau : BenchmarkProblem
{
    private static readonly IntDistribution MaxDepth = new(1, 32);
    private static readonly IntDistribution MinSamplesLeaf = new(1, 512, log: true);
    private static readonly FloatDistribution CcpAlpha = new(1e-5, 1, log: true);
    private static readonly FloatDistribution MaxFeatures = new(0.05, 1.0);

    public override string Name => "plateau";

    public override string Description =>
        "Plateau, d = 4 (2 int, 1 of them log, 1 log float): loss 1 on ~89% of the space, a bowl down to 0 elsewhere";

    public override double Optimum => 0;

    public override IReadOnlyList<KeyValuePair<string, Distribution>> Space { get; } =
    [
        new("max_depth", MaxDepth),
        new("min_samples_leaf", MinSamplesLeaf),
        new("ccp_alpha", CcpAlpha),
        new("max_features", MaxFeatures),
    ];

    public override IReadOnlyDictionary<string, object?> Minimizer { get; } = new Dictionary<string, object?>
    {
        ["max_depth"] = 24,
        ["min_samples_leaf"] = 4,
        ["ccp_alpha"] = 1e-4,
        ["max_features"] = 0.6,
    };

    public override double Evaluate(Trial trial)
    {
        var depth = SuggestNumber(trial, "max_depth", MaxDepth);
        var leaf = SuggestNumber(trial, "min_samples_leaf", MinSamplesLeaf);
        var alpha = SuggestNumber(trial, "ccp_alpha", CcpAlpha);
        var features = SuggestNumber(trial, "max_features", MaxFeatures);
        if (depth < 16 || leaf > 16 || alpha > 1e-3)
        {
            return 1;
        }

        return 0.25 * (Square((depth - 24) / 16) + Square((Math.Log2(leaf) - 2) / 4)
            + Square((Math.Log10(alpha) + 4) / 2) + Square(features - 0.6));
    }

    private static double Square(double v) => v * v;
}
