using Hone.Pruners;
using Hone.Samplers;
using Hone.Storage;

namespace Hone.Studies;

/// <summary>How to create or load a study.</summary>
public sealed class StudyOptions
{
    /// <summary>The study's name, unique in its storage.</summary>
    /// <value>Null generates a unique name ("study-" and a GUID).</value>
    public string? Name { get; init; }

    /// <summary>The direction of a single-objective study.</summary>
    /// <value>Null means <see cref="StudyDirection.Minimize"/> unless <see cref="Directions"/> is set.</value>
    /// <remarks>Set this or <see cref="Directions"/>, not both.</remarks>
    public StudyDirection? Direction { get; init; }

    /// <summary>One direction per objective, for a multi-objective study.</summary>
    public IReadOnlyList<StudyDirection>? Directions { get; init; }

    /// <summary>The sampler.</summary>
    /// <value>Null uses a <see cref="Samplers.Tpe.TpeSampler"/> with default options and a random seed.</value>
    public ISampler? Sampler { get; init; }

    /// <summary>The pruner.</summary>
    /// <value>Null never prunes (<see cref="NopPruner"/>).</value>
    public IPruner? Pruner { get; init; }

    /// <summary>Where the study lives.</summary>
    /// <value>Null keeps it in a new <see cref="InMemoryStorage"/>.</value>
    public IStorage? Storage { get; init; }

    /// <summary>Whether <see cref="Study.Create"/> loads an existing study of the same name instead of failing.</summary>
    /// <value>False.</value>
    public bool LoadIfExists { get; init; }

    internal IReadOnlyList<StudyDirection> ResolveDirections()
    {
        if (Direction is { } d && Directions is { } ds && !(ds.Count == 1 && ds[0] == d))
        {
            throw new ArgumentException(
                $"StudyOptions sets both Direction ({d}) and Directions ([{string.Join(", ", ds)}]); set only one of them.");
        }

        IReadOnlyList<StudyDirection> result = Directions ?? [Direction ?? StudyDirection.Minimize];
        if (result.Count == 0)
        {
            throw new ArgumentException("StudyOptions.Directions is empty; give one direction per objective.");
        }

        foreach (var direction in result)
        {
            if (!Enum.IsDefined(direction))
            {
                throw new ArgumentException($"StudyOptions direction {(int)direction} is not Minimize or Maximize.");
            }
        }

        return result;
    }
}
