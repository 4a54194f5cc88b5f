using System.Globalization;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Report.Plots;

/// <summary>
/// The trials a set of plots is drawn from, read once: every trial in number order, the complete ones with finite
/// values, and each parameter's distribution. Large studies are thinned to <c>maxPoints</c> complete trials (evenly
/// spaced, the best kept) so a browser can draw them.
/// </summary>
internal sealed class PlotInput
{
    public PlotInput(Study study, int maxPoints)
    {
        Study = study;
        Directions = study.Directions;
        All = [.. study.Trials.OrderBy(t => t.Number)];
        var complete = All.Where(t => t.State == TrialState.Complete && t.Values is { } v && v.Count == Directions.Count && v.All(double.IsFinite)).ToList();
        CompleteCount = complete.Count;
        Complete = Thin(complete, maxPoints, Directions[0] == StudyDirection.Maximize ? -1 : 1);
        var distributions = new SortedDictionary<string, Distribution>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in Complete)
        {
            foreach (var (name, d) in t.Distributions)
            {
                distributions[name] = d;
                counts[name] = counts.GetValueOrDefault(name) + 1;
            }
        }

        Distributions = distributions;
        ParamNames = [.. distributions.Keys];
        Conditional = [.. ParamNames.Where(n => counts[n] < Complete.Count)];
    }

    public Study Study { get; }

    public IReadOnlyList<StudyDirection> Directions { get; }

    public bool IsMultiObjective => Directions.Count > 1;

    /// <summary>Every trial, by number.</summary>
    public IReadOnlyList<FrozenTrial> All { get; }

    /// <summary>The complete trials with finite values (thinned for large studies), by number.</summary>
    public IReadOnlyList<FrozenTrial> Complete { get; }

    public int CompleteCount { get; }

    /// <summary>Each parameter any complete trial has, with the distribution of its latest trial.</summary>
    public IReadOnlyDictionary<string, Distribution> Distributions { get; }

    public IReadOnlyList<string> ParamNames { get; }

    /// <summary>The parameters, most important first, when importance was computed; else null (and plots use <see cref="ParamNames"/>).</summary>
    public IReadOnlyList<string>? Ranked { get; set; }

    /// <summary>The parameters some complete trials lack (conditional parameters).</summary>
    public IReadOnlyList<string> Conditional { get; }

    public string ObjectiveName(int i) => IsMultiObjective ? $"Objective {i}" : "Objective value";

    public bool IsCategorical(string name) => Distributions[name] is CategoricalDistribution;

    public bool IsLog(string name) => Distributions[name] is FloatDistribution { Log: true } or IntDistribution { Log: true };

    /// <summary>A trial's value of a parameter on a numeric axis: the choice's index for a categorical one; null when the trial lacks it.</summary>
    public double? Numeric(FrozenTrial t, string name)
    {
        if (!t.InternalParams.TryGetValue(name, out var internalValue))
        {
            return null;
        }

        return Distributions[name] is CategoricalDistribution ? internalValue : Convert.ToDouble(t.Params[name], CultureInfo.InvariantCulture);
    }

    /// <summary>A trial's value of a parameter as plotted on its own axis: a string for a categorical one; null when the trial lacks it.</summary>
    public object? Value(FrozenTrial t, string name)
    {
        if (!t.Params.TryGetValue(name, out var value))
        {
            return null;
        }

        return Distributions[name] is CategoricalDistribution ? Choice(value) : Convert.ToDouble(value, CultureInfo.InvariantCulture);
    }

    public static string Choice(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>The choices of a categorical parameter as axis labels.</summary>
    public string[] Choices(string name) => [.. ((CategoricalDistribution)Distributions[name]).Choices.Select(Choice)];

    /// <summary>The best value so far after each trial of <paramref name="trials"/> (objective 0).</summary>
    public double[] BestSoFar(IReadOnlyList<FrozenTrial> trials)
    {
        var sign = Directions[0] == StudyDirection.Maximize ? -1 : 1;
        var best = double.PositiveInfinity;
        return [.. trials.Select(t => sign * (best = Math.Min(best, sign * t.Values![0])))];
    }

    private static List<FrozenTrial> Thin(List<FrozenTrial> trials, int max, double sign)
    {
        if (trials.Count <= max)
        {
            return trials;
        }

        var keep = new HashSet<int>();
        var stride = (double)trials.Count / max;
        for (var k = 0; k < max; k++)
        {
            keep.Add((int)(k * stride));
        }

        var bestIndex = 0;
        for (var i = 1; i < trials.Count; i++)
        {
            if (sign * trials[i].Values![0] < sign * trials[bestIndex].Values![0])
            {
                bestIndex = i;
            }
        }

        keep.Add(bestIndex);
        return [.. keep.Order().Select(i => trials[i])];
    }
}
