using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Analysis.Refinement;

/// <summary>
/// Coarse-to-fine search: narrows each numeric range of a study to the span of its best trials plus a margin, so that a
/// new study can search the promising region more finely (the "start broad, then narrow" practice; for the risks, see
/// the remarks).
/// </summary>
/// <remarks>
/// <para>For each float or int parameter, the good trials are the best <see cref="RangeRefinementOptions.Quantile"/> of
/// the complete feasible trials (at least <see cref="RangeRefinementOptions.MinTopTrials"/>) that have it. The new range
/// is their span, widened on each side by <see cref="RangeRefinementOptions.Margin"/> of the old range, clipped to the old
/// range; a log parameter is narrowed in log space, and a stepped one keeps its grid (bounds rounded outwards onto it).
/// Categorical parameters, and parameters fewer good trials have, are left as they were.</para>
/// <para>Narrowing discards the rest of the space for good: a study with few trials, a noisy objective or several
/// separate good regions may lose the optimum. The margin and the quantile are the guard; the result says per parameter
/// how many trials it rests on.</para>
/// </remarks>
public static class RangeRefinement
{
    /// <summary>The narrowed ranges of <paramref name="study"/>'s parameters (single-objective studies).</summary>
    /// <exception cref="ArgumentException">The study has several objectives, or the options are invalid.</exception>
    public static IReadOnlyList<RefinedRange> Refine(Study study, RangeRefinementOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(study);
        if (study.IsMultiObjective)
        {
            throw new ArgumentException($"Study \"{study.Name}\" has {study.Directions.Count} objectives; ranges are refined around the best trials of one.", nameof(study));
        }

        return Refine(study.Trials, study.Direction, options);
    }

    /// <summary>The narrowed ranges of the parameters of <paramref name="trials"/>, ranked by <paramref name="direction"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static IReadOnlyList<RefinedRange> Refine(IReadOnlyList<FrozenTrial> trials, StudyDirection direction, RangeRefinementOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trials);
        options ??= new RangeRefinementOptions();
        if (options.Problems() is { } problems)
        {
            throw new ArgumentException($"Invalid RangeRefinementOptions: {problems}", nameof(options));
        }

        var latest = new Dictionary<string, Distribution>(StringComparer.Ordinal);
        foreach (var trial in trials.OrderBy(t => t.Number))
        {
            foreach (var (name, distribution) in trial.Distributions)
            {
                latest[name] = distribution;
            }
        }

        var sign = direction == StudyDirection.Maximize ? -1 : 1;
        var complete = trials
            .Where(t => t.State == TrialState.Complete && t.IsFeasible && t.Values is { Count: 1 } v && double.IsFinite(v[0]))
            .OrderBy(t => sign * t.Values![0])
            .ThenBy(t => t.Number)
            .ToList();

        var result = new List<RefinedRange>();
        foreach (var (name, before) in latest.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var having = complete.Where(t => t.InternalParams.ContainsKey(name) && t.Distributions.TryGetValue(name, out var d) && Distribution.AreCompatible(d, before)).ToList();
            var top = having.Take(Math.Max(options.MinTopTrials, (int)Math.Ceiling(options.Quantile * having.Count))).ToList();
            string? reason = before switch
            {
                CategoricalDistribution => "categorical: its choices are kept",
                _ when before.IsSingle => "a single value already",
                _ when top.Count < options.MinTopTrials => $"only {top.Count} good trial(s) have it; {options.MinTopTrials} are needed",
                _ => null,
            };
            if (reason is not null)
            {
                result.Add(new RefinedRange(name, before, before, top.Count, reason));
                continue;
            }

            var values = top.Select(t => t.Distributions[name].ToExternal(t.InternalParams[name])).Select(Convert.ToDouble).ToList();
            var after = before switch
            {
                FloatDistribution f => Narrow(f, values.Min(), values.Max(), options.Margin),
                IntDistribution i => Narrow(i, values.Min(), values.Max(), options.Margin),
                _ => before,
            };
            result.Add(new RefinedRange(name, before, after, top.Count, null));
        }

        return result;
    }

    private static (double Low, double High) Span(double low, double high, double topLow, double topHigh, bool log, double margin)
    {
        Func<double, double> to = log ? Math.Log : x => x;
        Func<double, double> from = log ? Math.Exp : x => x;
        var width = to(high) - to(low);
        var lo = to(Math.Max(topLow, low)) - (margin * width);
        var hi = to(Math.Min(topHigh, high)) + (margin * width);
        return (lo <= to(low) ? low : Math.Max(low, from(lo)), hi >= to(high) ? high : Math.Min(high, from(hi)));
    }

    private static FloatDistribution Narrow(FloatDistribution f, double topLow, double topHigh, double margin)
    {
        var (lo, hi) = Span(f.Low, f.High, topLow, topHigh, f.Log, margin);
        if (f.Step is { } step)
        {
            lo = f.Low + (Math.Floor(Math.Round((lo - f.Low) / step, 9)) * step);
            hi = f.Low + (Math.Ceiling(Math.Round((hi - f.Low) / step, 9)) * step);
            hi = Math.Min(hi, f.High);
        }

        return new FloatDistribution(lo, Math.Max(lo, hi), f.Log, f.Step);
    }

    private static IntDistribution Narrow(IntDistribution i, double topLow, double topHigh, double margin)
    {
        var (lo, hi) = Span(i.Low, i.High, topLow, topHigh, i.Log, margin);
        var low = i.Low + ((int)Math.Floor((lo - i.Low) / i.Step) * i.Step);
        var high = i.Low + ((int)Math.Ceiling((hi - i.Low) / i.Step) * i.Step);
        while (high > i.High)
        {
            high -= i.Step;
        }

        return new IntDistribution(low, Math.Max(low, high), i.Log, i.Step);
    }
}
