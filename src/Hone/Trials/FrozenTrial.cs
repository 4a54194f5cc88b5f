using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Hone.Distributions;

namespace Hone.Trials;

/// <summary>
/// An immutable record of one trial as a storage returned it: its state, values, parameters (with the
/// distribution each was drawn from), intermediate values and attributes. A storage never changes a
/// <see cref="FrozenTrial"/> it has handed out; a later read returns a new one.
/// </summary>
public sealed record FrozenTrial
{
    internal static readonly IReadOnlyDictionary<string, Distribution> NoDistributions =
        ReadOnlyDictionary<string, Distribution>.Empty;

    internal static readonly IReadOnlyDictionary<string, double> NoParams = ReadOnlyDictionary<string, double>.Empty;

    internal static readonly IReadOnlyDictionary<int, double> NoIntermediate = ReadOnlyDictionary<int, double>.Empty;

    internal static readonly IReadOnlyDictionary<string, JsonElement> NoAttrs = ReadOnlyDictionary<string, JsonElement>.Empty;

    /// <summary>The system attribute holding the constraint values, Optuna's key.</summary>
    internal const string ConstraintsKey = "constraints";

    /// <summary>The system attribute holding the constraints' names, aligned with <see cref="ConstraintsKey"/>.</summary>
    internal const string ConstraintNamesKey = "constraint_names";

    private readonly IReadOnlyDictionary<string, double> _internalParams = NoParams;
    private readonly IReadOnlyDictionary<string, Distribution> _distributions = NoDistributions;
    private IReadOnlyDictionary<string, object?>? _params;

    /// <summary>The trial's number within its study, from 0, in order of creation.</summary>
    public int Number { get; init; }

    /// <summary>The storage's identifier of the trial, unique across studies.</summary>
    public long TrialId { get; init; }

    /// <summary>The trial's state.</summary>
    public TrialState State { get; init; }

    /// <summary>One value per objective, or null when the trial has none (running, failed).</summary>
    public IReadOnlyList<double>? Values { get; init; }

    /// <summary>When the trial started running (UTC), or null if it never ran.</summary>
    public DateTime? DatetimeStart { get; init; }

    /// <summary>When the trial finished (UTC), or null if it has not.</summary>
    public DateTime? DatetimeComplete { get; init; }

    /// <summary>The distribution of each parameter.</summary>
    public IReadOnlyDictionary<string, Distribution> Distributions
    {
        get => _distributions;
        init
        {
            _distributions = value;
            _params = null;
        }
    }

    /// <summary>Each parameter in its internal representation (a categorical's index).</summary>
    public IReadOnlyDictionary<string, double> InternalParams
    {
        get => _internalParams;
        init
        {
            _internalParams = value;
            _params = null;
        }
    }

    /// <summary>Each parameter as the objective saw it (double, int, or the choice itself).</summary>
    public IReadOnlyDictionary<string, object?> Params => _params ??= BuildParams();

    /// <summary>Values reported with <see cref="Trial.Report(double, int)"/>, by step.</summary>
    public IReadOnlyDictionary<int, double> IntermediateValues { get; init; } = NoIntermediate;

    /// <summary>
    /// The vectors reported with <see cref="Trial.Report(IReadOnlyList{double}, int)"/> in a study with several objectives,
    /// by step in ascending order; empty for a single-objective trial, whose values are in <see cref="IntermediateValues"/>.
    /// </summary>
    /// <remarks>Read from the trial's system attributes on each call (see docs/core.md, "Pruning with several objectives", for the storage format), so the record keeps no cache that would affect its equality.</remarks>
    public IReadOnlyDictionary<int, IReadOnlyList<double>> IntermediateVectors => IntermediateVectorAttributes.Read(SystemAttrs);

    /// <summary>Attributes set by the user.</summary>
    public IReadOnlyDictionary<string, JsonElement> UserAttrs { get; init; } = NoAttrs;

    /// <summary>Attributes set by Hone (the fail reason, the fixed params of an enqueued trial, ...).</summary>
    public IReadOnlyDictionary<string, JsonElement> SystemAttrs { get; init; } = NoAttrs;

    /// <summary>
    /// The trial's constraint values (≤ 0 is satisfied), from <see cref="Trial.SetConstraint"/> and
    /// <see cref="Studies.StudyOptions.Constraints"/>, or null when it has none. Stored as Optuna stores them: a JSON
    /// list of numbers in the <c>constraints</c> system attribute.
    /// </summary>
    /// <remarks>Read from the attribute on each call (a walk over an already parsed JSON array), so the record keeps no cache that would affect its equality.</remarks>
    public IReadOnlyList<double>? Constraints => ReadConstraints(SystemAttrs);

    /// <summary>
    /// The names of the trial's constraints, aligned with <see cref="Constraints"/> (from the <c>constraint_names</c>
    /// system attribute Hone writes beside Optuna's <c>constraints</c>), or null when they are not known, e.g. for a
    /// trial whose constraints Optuna's <c>constraints_func</c> computed.
    /// </summary>
    public IReadOnlyList<string>? ConstraintNames
    {
        get
        {
            if (!SystemAttrs.TryGetValue(ConstraintNamesKey, out var json) || json.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var names = new List<string>(json.GetArrayLength());
            foreach (var item in json.EnumerateArray())
            {
                names.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : item.ToString());
            }

            return names;
        }
    }

    /// <summary>Whether every constraint value is ≤ 0; true for a trial without constraints.</summary>
    public bool IsFeasible => ConstraintViolation <= 0;

    /// <summary>The total violation: the sum of the positive constraint values (0 for a feasible trial).</summary>
    public double ConstraintViolation
    {
        get
        {
            if (!SystemAttrs.TryGetValue(ConstraintsKey, out var json) || json.ValueKind != JsonValueKind.Array)
            {
                return 0;
            }

            var sum = 0.0;
            foreach (var item in json.EnumerateArray())
            {
                sum += item.ValueKind == JsonValueKind.Number ? Math.Max(0, item.GetDouble()) : double.PositiveInfinity;
            }

            return sum;
        }
    }

    /// <summary>The value of a single-objective trial, or null when it has none.</summary>
    /// <exception cref="InvalidOperationException">The trial has more than one value.</exception>
    public double? Value => Values switch
    {
        null => null,
        { Count: 1 } v => v[0],
        _ => throw new InvalidOperationException(
            $"Trial #{Number} has {Values.Count} values (a multi-objective study); use Values instead of Value."),
    };

    /// <summary>The last reported intermediate value, or null when none was reported.</summary>
    public double? LastIntermediateValue
    {
        get
        {
            if (IntermediateValues.Count == 0)
            {
                return null;
            }

            var best = int.MinValue;
            foreach (var step in IntermediateValues.Keys)
            {
                best = Math.Max(best, step);
            }

            return IntermediateValues[best];
        }
    }

    /// <summary>How long the trial ran, when it has both times.</summary>
    public TimeSpan? Duration => DatetimeComplete - DatetimeStart;

    /// <summary>
    /// Makes a finished trial from values as the user sees them, e.g. to warm-start a study with
    /// <see cref="Studies.Study.AddTrial"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A parameter has no distribution or is outside it.</exception>
    public static FrozenTrial Create(
        IReadOnlyDictionary<string, object?> parameters,
        IReadOnlyDictionary<string, Distribution> distributions,
        IReadOnlyList<double>? values,
        TrialState state = TrialState.Complete,
        IReadOnlyDictionary<int, double>? intermediateValues = null,
        IReadOnlyDictionary<string, object?>? userAttrs = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(distributions);
        var internals = new Dictionary<string, double>(parameters.Count);
        foreach (var (name, value) in parameters)
        {
            if (!distributions.TryGetValue(name, out var d))
            {
                throw new ArgumentException($"Parameter \"{name}\" has no distribution; give one in distributions.", nameof(distributions));
            }

            var x = d.ToInternal(value);
            if (!d.Contains(x))
            {
                throw new ArgumentException($"Parameter \"{name}\" = {value} is outside {d}.", nameof(parameters));
            }

            internals[name] = x;
        }

        foreach (var name in distributions.Keys)
        {
            if (!parameters.ContainsKey(name))
            {
                throw new ArgumentException($"Distribution \"{name}\" has no parameter value; give one in parameters.", nameof(parameters));
            }
        }

        var attrs = new Dictionary<string, JsonElement>();
        foreach (var (k, v) in userAttrs ?? ReadOnlyDictionary<string, object?>.Empty)
        {
            attrs[k] = AttributeValue.From(k, v);
        }

        return new FrozenTrial
        {
            State = state,
            Values = values?.ToArray(),
            InternalParams = internals,
            Distributions = new Dictionary<string, Distribution>(distributions),
            IntermediateValues = intermediateValues is null ? NoIntermediate : new Dictionary<int, double>(intermediateValues),
            UserAttrs = attrs,
        };
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Trial #{Number} {State}");
        if (Values is { } values)
        {
            sb.Append(" values=[").AppendJoin(", ", values.Select(v => v.ToString("G6", CultureInfo.InvariantCulture))).Append(']');
        }

        sb.Append(" params={");
        var first = true;
        foreach (var (k, v) in Params)
        {
            sb.Append(first ? string.Empty : ", ").Append(k).Append('=').Append(v switch
            {
                null => "null",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => v.ToString(),
            });
            first = false;
        }

        return sb.Append('}').ToString();
    }

    private static double[]? ReadConstraints(IReadOnlyDictionary<string, JsonElement> attrs)
    {
        if (!attrs.TryGetValue(ConstraintsKey, out var json) || json.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var result = new double[json.GetArrayLength()];
        var i = 0;
        foreach (var item in json.EnumerateArray())
        {
            // A value that is not a number (another tool's null) cannot be judged satisfied.
            result[i++] = item.ValueKind == JsonValueKind.Number ? item.GetDouble() : double.PositiveInfinity;
        }

        return result;
    }

    private Dictionary<string, object?> BuildParams()
    {
        var result = new Dictionary<string, object?>(_internalParams.Count);
        foreach (var (name, x) in _internalParams)
        {
            result[name] = Distributions.TryGetValue(name, out var d) ? d.ToExternal(x) : x;
        }

        return result;
    }
}
