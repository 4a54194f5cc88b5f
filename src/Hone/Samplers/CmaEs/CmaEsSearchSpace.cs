using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Hone.Distributions;

namespace Hone.Samplers.CmaEs;

/// <summary>
/// The numeric parameters CMA-ES samples jointly, in name order, and how each maps to and from its coordinate of the
/// unit box: linear, in log space for log parameters, integer and stepped ranges padded by half a step (as
/// <see cref="DistributionSampling.FromUnit"/>), so every value owns a cell of equal width.
/// </summary>
internal sealed class CmaEsSearchSpace : IReadOnlyDictionary<string, Distribution>
{
    private readonly Dictionary<string, Distribution> _all = new(StringComparer.Ordinal);

    public CmaEsSearchSpace(SortedDictionary<string, Distribution> dims)
    {
        Names = [.. dims.Keys];
        Distributions = [.. dims.Values];
        CellWidths = new double[Names.Length];
        var key = new System.Text.StringBuilder();
        for (var i = 0; i < Names.Length; i++)
        {
            _all[Names[i]] = Distributions[i];
            CellWidths[i] = Distributions[i] switch
            {
                IntDistribution { Log: false } or FloatDistribution { Step: not null } => 1.0 / DistributionSampling.Cardinality(Distributions[i])!.Value,
                _ => 0,
            };
            key.Append(Names[i]).Append('=').Append(Distributions[i]).Append(';');
        }

        Hash = Fnv(key.ToString());
        HashJson = JsonNumbers.Make(Hash);
    }

    /// <summary>The parameters, sorted by name.</summary>
    public string[] Names { get; }

    /// <summary>Their distributions.</summary>
    public Distribution[] Distributions { get; }

    /// <summary>The width of one value's cell in the unit coordinate of integer and stepped parameters; 0 for continuous ones (and log integers).</summary>
    public double[] CellWidths { get; }

    /// <summary>Identifies the space in trials' system attributes, so generations of a changed space are not mixed up.</summary>
    public long Hash { get; }

    /// <summary><see cref="Hash"/> as the JSON of the system attribute, made once.</summary>
    public System.Text.Json.JsonElement HashJson { get; }

    public int Count => _all.Count;

    public IEnumerable<string> Keys => _all.Keys;

    public IEnumerable<Distribution> Values => _all.Values;

    public Distribution this[string key] => _all[key];

    /// <summary>The internal value of coordinate <paramref name="i"/> at <paramref name="u"/> (clamped into the box).</summary>
    public double FromUnit(int i, double u) => DistributionSampling.FromUnit(Distributions[i], Math.Clamp(u, 0, 1 - 1e-12));

    /// <summary>The unit coordinate of an internal value: the centre of its cell for integer and stepped parameters.</summary>
    public double ToUnit(int i, double value)
    {
        switch (Distributions[i])
        {
            case FloatDistribution { Log: true } f:
                return (Math.Log(value) - Math.Log(f.Low)) / (Math.Log(f.High) - Math.Log(f.Low));
            case FloatDistribution { Step: { } step } f:
                return (Math.Round((value - f.Low) / step) + 0.5) * CellWidths[i];
            case FloatDistribution f:
                return (value - f.Low) / (f.High - f.Low);
            case IntDistribution { Log: true } d:
            {
                var lo = Math.Log(d.Low - 0.5);
                return (Math.Log(value) - lo) / (Math.Log(d.High + 0.5) - lo);
            }

            case IntDistribution d:
                return (Math.Round((value - d.Low) / d.Step) + 0.5) * CellWidths[i];
            default:
                return 0.5;
        }
    }

    public bool ContainsKey(string key) => _all.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Distribution value) => _all.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, Distribution>> GetEnumerator() => _all.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static long Fnv(string s)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var c in s)
        {
            h = (h ^ c) * 0x100000001B3UL;
        }

        return (long)(h >> 1);
    }
}
