using Hone.Distributions;

namespace Hone.Analysis.Refinement;

/// <summary>One parameter's range before and after <see cref="RangeRefinement"/>.</summary>
/// <param name="Name">The parameter.</param>
/// <param name="Before">Its distribution in the study's latest trial that has it.</param>
/// <param name="After">The narrowed distribution (the same as <paramref name="Before"/> when it was left alone).</param>
/// <param name="TopTrials">How many good trials had the parameter (0 when none did).</param>
/// <param name="Reason">Why the range was left alone, or null when it was narrowed.</param>
public sealed record RefinedRange(string Name, Distribution Before, Distribution After, int TopTrials, string? Reason)
{
    /// <summary>Whether <see cref="After"/> differs from <see cref="Before"/>.</summary>
    public bool Narrowed => !After.Equals(Before);
}
