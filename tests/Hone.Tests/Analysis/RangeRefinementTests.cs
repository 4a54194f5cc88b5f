using Hone.Analysis.Refinement;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Analysis;

/// <summary>Known answers for coarse-to-fine range narrowing.</summary>
public class RangeRefinementTests
{
    private static Study Run(StudyDirection direction, IEnumerable<Dictionary<string, object?>> points, Func<Trial, double> objective)
    {
        var study = Study.Create(new StudyOptions { Direction = direction });
        var n = 0;
        foreach (var p in points)
        {
            study.Enqueue(p);
            n++;
        }

        study.Optimize(objective, new OptimizeOptions { Trials = n });
        return study;
    }

    [Fact]
    public void A_float_range_becomes_the_best_quarters_span_plus_the_margin_of_the_old_range()
    {
        var study = Run(StudyDirection.Minimize, Enumerable.Range(0, 20).Select(i => new Dictionary<string, object?> { ["x"] = i * 0.05 }),
            t => Math.Pow(t.SuggestFloat("x", 0, 1) - 0.5, 2));

        var x = Assert.Single(RangeRefinement.Refine(study));
        var after = Assert.IsType<FloatDistribution>(x.After);
        Assert.Equal(5, x.TopTrials);
        Assert.Equal(0.3, after.Low, 9);
        Assert.Equal(0.7, after.High, 9);
        Assert.True(x.Narrowed);
        Assert.Null(x.Reason);
    }

    [Fact]
    public void A_log_range_is_narrowed_in_log_space_and_clipped_to_the_old_bounds()
    {
        double[] values = [1e-4, 1e-3, 1e-2, 3e-2, 1e-1, 0.5, 1];
        var study = Run(StudyDirection.Maximize, values.Select(v => new Dictionary<string, object?> { ["lr"] = v }),
            t => -Math.Abs(Math.Log10(t.SuggestFloat("lr", 1e-4, 1, log: true)) + 1.5));

        var lr = Assert.Single(RangeRefinement.Refine(study, new() { Quantile = 0.25, MinTopTrials = 3, Margin = 0.1 }));
        var after = Assert.IsType<FloatDistribution>(lr.After);
        Assert.True(after.Log);
        // The three best are 1e-2, 3e-2 and 1e-1; the margin is 0.1 of ln(1e4) on each side.
        Assert.Equal(1e-2 * Math.Exp(-0.1 * Math.Log(1e4)), after.Low, 12);
        Assert.Equal(1e-1 * Math.Exp(0.1 * Math.Log(1e4)), after.High, 12);

        var wide = Assert.Single(RangeRefinement.Refine(study, new() { Margin = 1 }));
        Assert.Equal(new FloatDistribution(1e-4, 1, log: true), wide.After);
        Assert.False(wide.Narrowed);
    }

    [Fact]
    public void A_stepped_int_keeps_its_grid_and_categoricals_and_sparse_parameters_are_left_alone()
    {
        var points = Enumerable.Range(0, 11).Select(i => new Dictionary<string, object?> { ["n"] = i * 2, ["kind"] = i % 2 == 0 ? "a" : "b" }).ToList();
        var study = Run(StudyDirection.Minimize, points, t =>
        {
            var n = t.SuggestInt("n", 0, 20, step: 2);
            var kind = t.SuggestCategorical("kind", ["a", "b"]);
            if (n == 0)
            {
                t.SuggestFloat("rare", 0, 1);
            }

            return Math.Abs(n - 9) + (kind == "a" ? 0 : 0.5);
        });

        var ranges = RangeRefinement.Refine(study).ToDictionary(r => r.Name);
        // Best three: 8, 10, then 6 or 12 (|n - 9| = 3); the margin 2 (0.1 of 20) widens [6, 12] to [4, 14].
        var n = Assert.IsType<IntDistribution>(ranges["n"].After);
        Assert.Equal(2, n.Step);
        Assert.Equal(0, n.Low % 2);
        Assert.Equal(0, n.High % 2);
        Assert.InRange(n.Low, 4, 6);
        Assert.InRange(n.High, 12, 14);
        Assert.False(ranges["kind"].Narrowed);
        Assert.Contains("categorical", ranges["kind"].Reason, StringComparison.Ordinal);
        Assert.False(ranges["rare"].Narrowed);
        Assert.Contains("only 1 good trial(s) have it", ranges["rare"].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_options_and_multi_objective_studies_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => RangeRefinement.Refine([], StudyDirection.Minimize, new() { Quantile = 0, Margin = 2, MinTopTrials = 0 }));
        Assert.Contains("Quantile is 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("Margin is 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("MinTopTrials is 0", e.Message, StringComparison.Ordinal);
        var mo = Study.Create(new StudyOptions { Directions = [StudyDirection.Minimize, StudyDirection.Minimize] });
        Assert.Throws<ArgumentException>(() => RangeRefinement.Refine(mo));
    }
}
