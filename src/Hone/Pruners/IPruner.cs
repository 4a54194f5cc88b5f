using Hone.Studies;
using Hone.Trials;

namespace Hone.Pruners;

/// <summary>
/// Decides whether a running trial should stop early, from its intermediate values and those of other
/// trials. Called by <see cref="Trial.ShouldPrune"/>; must not modify the trials handed in.
/// </summary>
public interface IPruner
{
    /// <summary>Whether <paramref name="trial"/> should be pruned now.</summary>
    bool Prune(Study study, FrozenTrial trial);
}
