namespace Hone.Trials;

/// <summary>The named constraint values a trial was given, in the order their names were first set; thread-safe.</summary>
internal sealed class ConstraintValues
{
    private readonly Lock _gate = new();
    private readonly List<string> _names = [];
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);

    public void Set(string name, double value)
    {
        lock (_gate)
        {
            if (!_values.ContainsKey(name))
            {
                _names.Add(name);
            }

            _values[name] = value;
        }
    }

    /// <summary>A copy of the values by name.</summary>
    public IReadOnlyDictionary<string, double> ByName()
    {
        lock (_gate)
        {
            return new Dictionary<string, double>(_values, StringComparer.Ordinal);
        }
    }

    /// <summary>The names and values in the order the names were first set.</summary>
    public (string[] Names, double[] Values) Ordered()
    {
        lock (_gate)
        {
            return ([.. _names], [.. _names.Select(n => _values[n])]);
        }
    }
}
