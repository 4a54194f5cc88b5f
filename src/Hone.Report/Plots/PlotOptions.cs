namespace Hone.Report.Plots;

/// <summary>Settings of <see cref="StudyPlots"/>.</summary>
public sealed class PlotOptions
{
    /// <summary>The most complete trials drawn in one plot; larger studies are thinned evenly, keeping the best trial.</summary>
    /// <value>20,000. Must be 1 or more.</value>
    public int MaxPoints { get; init; } = 20_000;

    /// <summary>Whether to compute parameter importance (fANOVA) for the importance plot and to order the slice, rank and contour panels by it.</summary>
    /// <value>True.</value>
    public bool Importance { get; init; } = true;

    /// <summary>The seed of the importance's random forest.</summary>
    /// <value>0: the same plot for the same trials.</value>
    public int Seed { get; init; }

    /// <summary>The time a running trial's timeline bar ends at.</summary>
    /// <value>Null: the current UTC time.</value>
    public DateTime? Now { get; init; }
}
