using System.Globalization;

namespace Hone.Pruners;

/// <summary>Settings of a <see cref="ThresholdPruner"/>. The defaults are Optuna's.</summary>
public sealed class ThresholdPrunerOptions
{
    /// <summary>A trial whose latest intermediate value is below this is pruned.</summary>
    /// <value>Null: no lower bound. Set this, <see cref="Upper"/>, or both; not NaN.</value>
    public double? Lower { get; init; }

    /// <summary>A trial whose latest intermediate value is above this is pruned.</summary>
    /// <value>Null: no upper bound. Not NaN; at least <see cref="Lower"/> when both are set.</value>
    public double? Upper { get; init; }

    /// <summary>Pruning is disabled until the trial reports a step of at least this value.</summary>
    /// <value>0. Must be 0 or more.</value>
    public int WarmupSteps { get; init; }

    /// <summary>Steps between pruning checks, counted from <see cref="WarmupSteps"/>.</summary>
    /// <value>1. Must be 1 or more.</value>
    public int IntervalSteps { get; init; } = 1;

    internal string? Problems()
    {
        var problems = new List<string>();
        if (Lower is null && Upper is null)
        {
            problems.Add("Lower or Upper must be set (both are null).");
        }

        if (Lower is { } lo && double.IsNaN(lo))
        {
            problems.Add("Lower must be a number, got NaN.");
        }

        if (Upper is { } up && double.IsNaN(up))
        {
            problems.Add("Upper must be a number, got NaN.");
        }

        if (Lower is { } l && Upper is { } u && l > u)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"Lower ({l}) must not be greater than Upper ({u})."));
        }

        if (WarmupSteps < 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"WarmupSteps must be 0 or more, got {WarmupSteps}."));
        }

        if (IntervalSteps < 1)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"IntervalSteps must be 1 or more, got {IntervalSteps}."));
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }
}
