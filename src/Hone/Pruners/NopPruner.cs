using Hone.Studies;
using Hone.Trials;

namespace Hone.Pruners;

/// <summary>Never prunes. The default pruner.</summary>
public sealed class NopPruner : IPruner
{
    /// <summary>The shared instance.</summary>
    public static NopPruner Instance { get; } = new();

    /// <inheritdoc/>
    public bool Prune(Study study, FrozenTrial trial) => false;
}
