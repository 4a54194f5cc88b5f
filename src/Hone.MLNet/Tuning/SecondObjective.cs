namespace Hone.MLNet.Tuning;

/// <summary>
/// A cost tuned against the metric (<see cref="TuneOptions.SecondObjective"/>), always minimised: the study then has
/// two objectives and its result is a Pareto set of trade-offs, from which one is chosen and refit.
/// </summary>
public enum SecondObjective
{
    /// <summary>Tune the metric alone.</summary>
    None,

    /// <summary>The size in bytes of the fitted model saved as an ML.NET .zip (mean over the folds).</summary>
    ModelSize,

    /// <summary>Inference latency: microseconds per row to score the validation rows (mean over the folds).</summary>
    Latency,

    /// <summary>Training time: seconds to fit the model on a fold's training rows (mean over the folds).</summary>
    TrainingTime,
}

/// <summary>Names, units and parsing for <see cref="SecondObjective"/>.</summary>
public static class SecondObjectives
{
    /// <summary>Parses a name as the command line writes it: size, latency, train-time (or none).</summary>
    /// <exception cref="ArgumentException">The name is not a second objective.</exception>
    public static SecondObjective Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToUpperInvariant() switch
        {
            "NONE" => SecondObjective.None,
            "SIZE" or "MODEL-SIZE" or "MODELSIZE" => SecondObjective.ModelSize,
            "LATENCY" => SecondObjective.Latency,
            "TRAIN-TIME" or "TRAINING-TIME" or "TRAININGTIME" => SecondObjective.TrainingTime,
            _ => throw new ArgumentException($"Unknown second objective \"{name}\"; use size, latency or train-time.", nameof(name)),
        };
    }

    /// <summary>The short name: none, size, latency or train-time.</summary>
    public static string ShortName(this SecondObjective objective) => objective switch
    {
        SecondObjective.None => "none",
        SecondObjective.ModelSize => "size",
        SecondObjective.Latency => "latency",
        SecondObjective.TrainingTime => "train-time",
        _ => objective.ToString(),
    };

    /// <summary>The unit its values are in: bytes, µs/row or s.</summary>
    public static string Unit(this SecondObjective objective) => objective switch
    {
        SecondObjective.ModelSize => "bytes",
        SecondObjective.Latency => "µs/row",
        SecondObjective.TrainingTime => "s",
        _ => string.Empty,
    };
}

/// <summary>One trial of the Pareto set of a tuning run with a <see cref="SecondObjective"/>.</summary>
/// <param name="TrialNumber">The trial's number.</param>
/// <param name="Trainer">Its trainer.</param>
/// <param name="Metric">Its cross-validated metric.</param>
/// <param name="Cost">Its second objective, in <see cref="SecondObjectives.Unit"/>.</param>
public sealed record ParetoPoint(int TrialNumber, string Trainer, double Metric, double Cost);
