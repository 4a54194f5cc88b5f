using Hone.Studies;

namespace Hone.Pruners;

/// <summary>The study-level rule for pruners: most judge one objective, so a multi-objective study can only have one that judges vectors (<see cref="IMultiObjectivePruner"/>).</summary>
internal static class PrunerGuard
{
    /// <exception cref="ArgumentException">A pruner other than <see cref="NopPruner"/> or an <see cref="IMultiObjectivePruner"/> is given for several objectives.</exception>
    public static void CheckObjectives(IPruner? pruner, IReadOnlyList<StudyDirection> directions)
    {
        if (pruner is not null and not NopPruner and not IMultiObjectivePruner && directions.Count > 1)
        {
            throw new ArgumentException(
                $"{pruner.GetType().Name} cannot be used in a multi-objective study ({directions.Count} objectives): pruners compare " +
                "the intermediate values of one objective. Use DominancePruner, which compares the vectors reported with " +
                "Trial.Report(values, step), or leave StudyOptions.Pruner unset (or NopPruner.Instance) for this study.",
                nameof(pruner));
        }
    }
}
