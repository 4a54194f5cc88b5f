using System.Globalization;
using Hone.Distributions;
using Hone.Trials;
using Microsoft.ML;

namespace Hone.MLNet.SearchSpaces;

/// <summary>
/// A trainer and the options Hone tunes for it. <see cref="Suggest"/> asks a trial for every option (named
/// "Trainer.Option", so each trainer is its own conditional subspace); <see cref="CreateEstimator"/> builds the
/// ML.NET pipeline (with a min–max normalizer for linear trainers) from those values, or with ML.NET's defaults.
/// </summary>
/// <remarks>The estimator reads the label from a column "Label" and a Single vector "Features".</remarks>
public sealed class TrainerSearchSpace
{
    private readonly Func<MLContext, IReadOnlyDictionary<string, object?>?, IEstimator<ITransformer>> _build;

    /// <summary>Creates a search space for any trainer (the ready ones are in <see cref="TrainerSearchSpaces"/>).</summary>
    /// <param name="name">The trainer's name; the study parameters are "name.Option".</param>
    /// <param name="task">The task the trainer is for.</param>
    /// <param name="parameters">The tuned options.</param>
    /// <param name="build">Builds the estimator from option values by name (null: the trainer's defaults). It reads "Label" and a Single vector "Features".</param>
    public TrainerSearchSpace(
        string name, TuningTask task, IReadOnlyList<HyperParameter> parameters,
        Func<MLContext, IReadOnlyDictionary<string, object?>?, IEstimator<ITransformer>> build)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(build);
        Name = name;
        Task = task;
        Parameters = parameters;
        _build = build;
    }

    /// <summary>Whether the trainer is linear and wants normalized features (the ready SDCA, L-BFGS and online gradient descent spaces).</summary>
    public bool IsLinear { get; private init; }

    /// <summary>A linear trainer's space: <paramref name="build"/> builds the trainer alone and the normalizer is added in front.</summary>
    internal static TrainerSearchSpace Linear(
        string name, TuningTask task, IReadOnlyList<HyperParameter> parameters,
        Func<MLContext, IReadOnlyDictionary<string, object?>?, IEstimator<ITransformer>> build) =>
        new(name, task, parameters, build) { IsLinear = true };

    /// <summary>The trainer's name, e.g. LightGbm, SdcaLogisticRegression.</summary>
    public string Name { get; }

    /// <summary>The task it trains for.</summary>
    public TuningTask Task { get; }

    /// <summary>The tuned options.</summary>
    public IReadOnlyList<HyperParameter> Parameters { get; }

    /// <summary>A copy with one option's range (or default) replaced, matched by name.</summary>
    /// <exception cref="ArgumentException">The trainer has no tuned option of that name.</exception>
    public TrainerSearchSpace WithParameter(HyperParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        var index = -1;
        for (var i = 0; i < Parameters.Count; i++)
        {
            if (Parameters[i].Name == parameter.Name)
            {
                index = i;
            }
        }

        if (index < 0)
        {
            throw new ArgumentException(
                $"Trainer {Name} has no tuned option \"{parameter.Name}\"; its options are {string.Join(", ", Parameters.Select(p => p.Name))}.", nameof(parameter));
        }

        var list = Parameters.ToArray();
        list[index] = parameter;
        return new TrainerSearchSpace(Name, Task, list, _build) { IsLinear = IsLinear };
    }

    /// <summary>A copy without some options: they keep ML.NET's default.</summary>
    public TrainerSearchSpace WithoutParameters(params string[] names) =>
        new(Name, Task, Parameters.Where(p => !names.Contains(p.Name)).ToArray(), _build) { IsLinear = IsLinear };

    /// <summary>The study parameter name of an option: "Trainer.Option".</summary>
    public string ParameterName(HyperParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return $"{Name}.{parameter.Name}";
    }

    /// <summary>Asks the trial for a value of every option; returns them by option name.</summary>
    public IReadOnlyDictionary<string, object?> Suggest(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in Parameters)
        {
            var name = ParameterName(p);
            values[p.Name] = p.Distribution switch
            {
                FloatDistribution f => trial.SuggestFloat(name, f.Low, f.High, f.Log, f.Step),
                IntDistribution i => trial.SuggestInt(name, i.Low, i.High, i.Log, i.Step),
                CategoricalDistribution c => trial.SuggestCategorical(name, c.Choices),
                _ => throw new NotSupportedException($"{name}: distribution {p.Distribution} is not supported."),
            };
        }

        return values;
    }

    /// <summary>
    /// The study parameters ("Trainer.Option") of the trainer's cheapest configuration: options whose cost grows with
    /// their value (<see cref="HyperParameter.CostGrowsWithValue"/>) at the low end of their range, the others at their
    /// defaults. Options whose default is chosen by ML.NET from the data are left out, for the sampler to choose.
    /// </summary>
    public IReadOnlyDictionary<string, object?> LowCostParameters()
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in Parameters)
        {
            object? value = p.CostGrowsWithValue
                ? p.Distribution switch
                {
                    IntDistribution i => i.Low,
                    FloatDistribution f => f.Low,
                    _ => p.Default,
                }
                : p.Default;
            if (value is not null && Holds(p.Distribution, value))
            {
                values[ParameterName(p)] = value;
            }
        }

        return values;
    }

    /// <summary>The study parameters ("Trainer.Option") whose training cost grows with their value.</summary>
    public IEnumerable<string> CostParameterNames() => Parameters.Where(p => p.CostGrowsWithValue).Select(ParameterName);

    private static bool Holds(Distribution distribution, object value)
    {
        try
        {
            return distribution.Contains(distribution.ToInternal(value));
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads the options back from a finished trial's parameters (those named "Trainer.Option").
    /// </summary>
    public IReadOnlyDictionary<string, object?> FromTrialParams(IReadOnlyDictionary<string, object?> trialParams)
    {
        ArgumentNullException.ThrowIfNull(trialParams);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in Parameters)
        {
            if (trialParams.TryGetValue(ParameterName(p), out var v))
            {
                values[p.Name] = v;
            }
        }

        return values;
    }

    /// <summary>
    /// The ML.NET estimator for these option values; options not given (and every option when
    /// <paramref name="parameters"/> is null) keep ML.NET's defaults.
    /// </summary>
    public IEstimator<ITransformer> CreateEstimator(MLContext mlContext, IReadOnlyDictionary<string, object?>? parameters)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return IsLinear ? LinearNormalizer(mlContext).Append(_build(mlContext, parameters)) : _build(mlContext, parameters);
    }

    /// <summary>The normalizer a linear trainer gets in front of it when the preprocessing is not tuned.</summary>
    internal static IEstimator<ITransformer> LinearNormalizer(MLContext mlContext) => mlContext.Transforms.NormalizeMinMax("Features");

    /// <summary>The trainer alone (no normalizer even for a linear trainer), for a pipeline that prepares "Features" itself.</summary>
    internal IEstimator<ITransformer> CreateTrainer(MLContext mlContext, IReadOnlyDictionary<string, object?>? parameters) =>
        _build(mlContext, parameters);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Task.ShortName()}): {string.Join(", ", Parameters.Select(p => $"{p.Name} {p.Distribution}"))}";

    /// <summary>Formats a value for reports.</summary>
    internal static string Format(object? value) => value switch
    {
        null => "auto",
        double d => d.ToString("G4", CultureInfo.InvariantCulture),
        float f => f.ToString("G4", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
