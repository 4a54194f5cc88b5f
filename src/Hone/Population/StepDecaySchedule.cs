using System.Text.Json;

namespace Hone.Population;

/// <summary>Step decay: <see cref="Initial"/> multiplied by <see cref="Gamma"/> every <see cref="StepSize"/> steps (PyTorch's StepLR).</summary>
public sealed record StepDecaySchedule : Schedule
{
    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentException">A value is not finite or positive where it must be.</exception>
    public StepDecaySchedule(double initial, double gamma, int stepSize)
    {
        if (!double.IsFinite(initial) || !(gamma > 0) || !double.IsFinite(gamma))
        {
            throw new ArgumentException($"A step-decay schedule needs a finite initial value and a positive gamma; got initial {initial}, gamma {gamma}.", nameof(gamma));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        Initial = initial;
        Gamma = gamma;
        StepSize = stepSize;
    }

    /// <summary>The value at step 0.</summary>
    public double Initial { get; }

    /// <summary>The factor applied every <see cref="StepSize"/> steps.</summary>
    public double Gamma { get; }

    /// <summary>The steps between two decays.</summary>
    public int StepSize { get; }

    /// <inheritdoc/>
    public override double ValueAt(int step) => Initial * Math.Pow(Gamma, Math.Max(0, step) / StepSize);

    /// <inheritdoc/>
    public override JsonElement ToJson() => Json(new Dictionary<string, object> { ["kind"] = "step_decay", ["initial"] = Initial, ["gamma"] = Gamma, ["step_size"] = StepSize });
}
