using System.Text.Json;
using Hone.Distributions;
using Hone.Samplers.Gp;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Analysis.Stopping;

/// <summary>
/// Answers "is more tuning worth it?" as Optuna's Terminator does: a Gaussian process fitted to the better half of the
/// complete trials gives an upper bound on the regret of the best trial so far (the largest upper confidence bound
/// anywhere in the search space minus the largest lower confidence bound at a tried point; GP-UCB, Srinivas et al. 2010),
/// and that bound is compared with the objective's noise, taken from the best trial's cross-validation fold scores
/// (Makarova et al. 2022, "Automatic termination for hyperparameter optimization").
/// </summary>
/// <remarks>
/// Fold scores are read from the trial user attribute <see cref="FoldScoresKey"/> (what <c>hone tune</c> records) or
/// Optuna's system attribute <see cref="OptunaCrossValidationScoresKey"/>. Their noise is the standard deviation of the
/// fold scores times √(1/k + 1/(k−1)), Optuna's correction for k folds (Nadeau and Bengio 2003).
/// </remarks>
public static class ImprovementEstimator
{
    /// <summary>The trial user attribute with the scores of each cross-validation fold (an array of numbers).</summary>
    public const string FoldScoresKey = "fold_scores";

    /// <summary>The trial system attribute where Optuna's <c>report_cross_validation_scores</c> puts the fold scores.</summary>
    public const string OptunaCrossValidationScoresKey = "terminator:cv_scores";

    /// <summary>The estimate for a study with one objective, or null while it has fewer than <see cref="ImprovementEstimateOptions.MinTrials"/> complete trials.</summary>
    /// <exception cref="ArgumentException">The study has several objectives, or the options are out of range.</exception>
    public static ImprovementEstimate? Estimate(Study study, ImprovementEstimateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(study);
        if (study.IsMultiObjective)
        {
            throw new ArgumentException($"Study \"{study.Name}\" has {study.Directions.Count} objectives; the improvement estimate is for one objective.", nameof(study));
        }

        return Estimate(study.GetTrials(TrialState.Complete), study.Direction, options);
    }

    /// <summary>The estimate from <paramref name="trials"/> (only the complete ones with a finite value count), or null when fewer than <see cref="ImprovementEstimateOptions.MinTrials"/> count.</summary>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public static ImprovementEstimate? Estimate(IReadOnlyList<FrozenTrial> trials, StudyDirection direction, ImprovementEstimateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trials);
        options ??= new ImprovementEstimateOptions();
        options.Validate();
        var sign = direction == StudyDirection.Maximize ? 1.0 : -1.0;
        var complete = trials
            .Where(t => t.State == TrialState.Complete && t.Values is { Count: > 0 } v && double.IsFinite(v[0]))
            .OrderByDescending(t => sign * t.Values![0])
            .ThenBy(t => t.Number)
            .ToList();
        if (complete.Count < options.MinTrials)
        {
            return null;
        }

        var best = complete[0];
        var top = complete.Take(Math.Max(options.MinTrials, (int)(complete.Count * options.TopTrialsRatio))).ToList();
        var (bound, gpNoise) = RegretBound(top, sign, options);
        var (noise, source) = FoldNoise(best) is { } folds
            ? (folds.Noise, $"standard error of trial #{best.Number}'s {folds.Folds} cross-validation fold scores")
            : options.Noise is { } given
                ? (given, "the given noise level")
                : (gpNoise, "noise standard deviation estimated by the Gaussian process");
        return new ImprovementEstimate(bound, noise, source, complete.Count, best.Number);
    }

    /// <summary>A trial's cross-validation fold scores (the finite numbers of <see cref="FoldScoresKey"/>, else of <see cref="OptunaCrossValidationScoresKey"/>), or null when it has none.</summary>
    public static IReadOnlyList<double>? FoldScores(FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return Numbers(trial.UserAttrs, FoldScoresKey) ?? Numbers(trial.SystemAttrs, OptunaCrossValidationScoresKey);
    }

    /// <summary>The noise of a trial's cross-validation score: √((1/k + 1/(k−1)) · var(scores)), or null without two or more finite fold scores.</summary>
    internal static (double Noise, int Folds)? FoldNoise(FrozenTrial trial)
    {
        var scores = FoldScores(trial);
        if (scores is not { Count: >= 2 })
        {
            return null;
        }

        var k = scores.Count;
        var mean = scores.Average();
        var variance = scores.Sum(s => (s - mean) * (s - mean)) / k;
        return (Math.Sqrt(((1.0 / k) + (1.0 / (k - 1))) * variance), k);
    }

    private static List<double>? Numbers(IReadOnlyDictionary<string, JsonElement> attrs, string key)
    {
        if (!attrs.TryGetValue(key, out var e) || e.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var list = new List<double>();
        foreach (var item in e.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Number && item.GetDouble() is var v && double.IsFinite(v))
            {
                list.Add(v);
            }
        }

        return list;
    }

    /// <summary>The regret bound in the objective's units, and the GP's noise standard deviation in the same units.</summary>
    private static (double Bound, double Noise) RegretBound(List<FrozenTrial> top, double sign, ImprovementEstimateOptions options)
    {
        var n = top.Count;
        var raw = top.Select(t => sign * t.Values![0]).ToArray();
        var mean = raw.Average();
        var std = Math.Sqrt(raw.Sum(v => (v - mean) * (v - mean)) / n);
        if (!(std > 0))
        {
            return (0, 0);
        }

        var y = raw.Select(v => (v - mean) / std).ToArray();
        var space = SharedSpace(top);
        var d = space.Count;
        if (d == 0)
        {
            // Nothing to tune: the trials differ only by noise.
            return (0, std);
        }

        var x = new double[n * d];
        for (var r = 0; r < n; r++)
        {
            for (var i = 0; i < d; i++)
            {
                x[(r * d) + i] = space.Encode(i, top[r].InternalParams[space.Names[i]]);
            }
        }

        var likelihood = new MarginalLikelihood(x, n, y, space.IsCategorical, deterministic: false);
        var h = likelihood.Fit([likelihood.Default()], 100) ?? likelihood.Default();
        var gp = GaussianProcess.Create(h, space.IsCategorical, x, n);
        if (gp is null)
        {
            return (double.PositiveInfinity, Math.Sqrt(h.NoiseVariance) * std);
        }

        gp.SetOutputs(y);
        var sqrtBeta = Math.Sqrt(2 * Math.Log(d * (double)n * n * Math.PI * Math.PI / (6 * options.Delta)) / 5);
        var lcbMax = double.NegativeInfinity;
        var ucbMax = double.NegativeInfinity;
        for (var r = 0; r < n; r++)
        {
            var (m, v) = gp.Predict(x.AsSpan(r * d, d));
            lcbMax = Math.Max(lcbMax, m - (sqrtBeta * Math.Sqrt(v)));
            ucbMax = Math.Max(ucbMax, m + (sqrtBeta * Math.Sqrt(v)));
        }

        var rng = new Random(options.Seed);
        var point = new double[d];
        var bestPoint = new double[d];
        var bestUcb = double.NegativeInfinity;
        for (var c = 0; c < options.Candidates; c++)
        {
            for (var i = 0; i < d; i++)
            {
                point[i] = space.IsCategorical[i] ? rng.Next(space.Categories[i]) : space.Snap(i, rng.NextDouble());
            }

            var ucb = Ucb(gp, point, sqrtBeta);
            if (ucb > bestUcb)
            {
                bestUcb = ucb;
                point.CopyTo(bestPoint, 0);
            }
        }

        // Local moves around the best random candidate: the upper bound's maximum is usually a narrow peak.
        for (var step = 0.1; step > 1e-3; step /= 2)
        {
            for (var c = 0; c < 32; c++)
            {
                for (var i = 0; i < d; i++)
                {
                    point[i] = space.IsCategorical[i] ? bestPoint[i] : space.Snap(i, bestPoint[i] + (step * ((2 * rng.NextDouble()) - 1)));
                }

                var ucb = Ucb(gp, point, sqrtBeta);
                if (ucb > bestUcb)
                {
                    bestUcb = ucb;
                    point.CopyTo(bestPoint, 0);
                }
            }
        }

        ucbMax = Math.Max(ucbMax, bestUcb);
        return (Math.Max(0, ucbMax - lcbMax) * std, Math.Sqrt(h.NoiseVariance) * std);
    }

    private static double Ucb(GaussianProcess gp, double[] point, double sqrtBeta)
    {
        var (m, v) = gp.Predict(point);
        return m + (sqrtBeta * Math.Sqrt(v));
    }

    /// <summary>The parameters every trial has with the same distribution (single-valued ones left out): conditional parameters do not enter the model.</summary>
    private static GpSearchSpace SharedSpace(List<FrozenTrial> trials)
    {
        var dims = new SortedDictionary<string, Distribution>(StringComparer.Ordinal);
        foreach (var (name, dist) in trials[0].Distributions)
        {
            if (!dist.IsSingle && trials.All(t => t.Distributions.TryGetValue(name, out var other) && other.Equals(dist) && t.InternalParams.ContainsKey(name)))
            {
                dims[name] = dist;
            }
        }

        return new GpSearchSpace(dims);
    }
}
