using System.Text.Json;

namespace Hone.Population;

/// <summary>
/// Cosine annealing (Loshchilov and Hutter 2017, "SGDR"): from <see cref="Initial"/> at step 0 to <see cref="Final"/> at
/// <see cref="TotalSteps"/> along half a cosine; constant at <see cref="Final"/> afterwards.
/// </summary>
public sealed record CosineSchedule : Schedule
{
    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentException">A value is not finite, or <paramref name="totalSteps"/> &lt; 1.</exception>
    public CosineSchedule(double initial, double final, int totalSteps)
    {
        if (!double.IsFinite(initial) || !double.IsFinite(final))
        {
            throw new ArgumentException($"A cosine schedule needs finite values; got initial {initial}, final {final}.", nameof(initial));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        Initial = initial;
        Final = final;
        TotalSteps = totalSteps;
    }

    /// <summary>The value at step 0.</summary>
    public double Initial { get; }

    /// <summary>The value at <see cref="TotalSteps"/> and after.</summary>
    public double Final { get; }

    /// <summary>The length of the annealing.</summary>
    public int TotalSteps { get; }

    /// <inheritdoc/>
    public override double ValueAt(int step)
    {
        var t = Math.Clamp((double)step / TotalSteps, 0, 1);
        return Final + ((Initial - Final) * 0.5 * (1 + Math.Cos(Math.PI * t)));
    }

    /// <inheritdoc/>
    public override JsonElement ToJson() => Json(new Dictionary<string, object> { ["kind"] = "cosine", ["initial"] = Initial, ["final"] = Final, ["total_steps"] = TotalSteps });
}
