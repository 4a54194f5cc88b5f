using Hone.Studies;

namespace Hone.Pruners;

/// <summary>The study-level rule for pruners: they judge one objective, so a multi-objective study cannot have one.</summary>
internal static class PrunerGuard
{
    /// <exception cref="ArgumentException">A pruner other than <see cref="NopPruner"/> is given for several objectives.</exception>
    public static void CheckObjectives(IPruner? pruner, IReadOnlyList<StudyDirection> directions)
    {
        if (pruner is not null and not NopPruner && directions.Count > 1)
        {
            throw new ArgumentException(
                $"{pruner.GetType().Name} cannot be used in a multi-objective study ({directions.Count} objectives): pruners compare " +
                "the intermediate values of one objective. Leave StudyOptions.Pruner unset (or NopPruner.Instance) for this study.",
                nameof(pruner));
        }
    }
}
