using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Hone.Distributions;

namespace Hone.Samplers.Nsga;

/// <summary>
/// The parameters a genetic sampler breeds jointly, in name order: every numeric one mapped to and from [0, 1] (log
/// parameters in log space; integer and stepped ranges padded by half a step, so every value owns a cell of equal
/// width), categorical ones kept as choice indices.
/// </summary>
internal sealed class NsgaSearchSpace : IReadOnlyDictionary<string, Distribution>
{
    private readonly Dictionary<string, Distribution> _all = new(StringComparer.Ordinal);

    public NsgaSearchSpace(SortedDictionary<string, Distribution> dims)
    {
        Names = [.. dims.Keys];
        Distributions = [.. dims.Values];
        IsCategorical = new bool[Names.Length];
        for (var i = 0; i < Names.Length; i++)
        {
            _all[Names[i]] = Distributions[i];
            IsCategorical[i] = Distributions[i] is CategoricalDistribution;
        }
    }

    public string[] Names { get; }

    public Distribution[] Distributions { get; }

    public bool[] IsCategorical { get; }

    public int Count => _all.Count;

    public IEnumerable<string> Keys => _all.Keys;

    public IEnumerable<Distribution> Values => _all.Values;

    public Distribution this[string key] => _all[key];

    /// <summary>The internal value of numeric coordinate <paramref name="i"/> at <paramref name="u"/> (clamped into [0, 1)).</summary>
    public double FromUnit(int i, double u) => DistributionSampling.FromUnit(Distributions[i], Math.Clamp(u, 0, 1 - 1e-12));

    /// <summary>The unit coordinate of a numeric internal value: the centre of its cell for integer and stepped parameters.</summary>
    public double ToUnit(int i, double value)
    {
        switch (Distributions[i])
        {
            case FloatDistribution { Log: true } f:
                return (Math.Log(value) - Math.Log(f.Low)) / (Math.Log(f.High) - Math.Log(f.Low));
            case FloatDistribution { Step: { } step } f:
                return (Math.Round((value - f.Low) / step) + 0.5) / DistributionSampling.Cardinality(f)!.Value;
            case FloatDistribution f:
                return f.High > f.Low ? (value - f.Low) / (f.High - f.Low) : 0.5;
            case IntDistribution { Log: true } d:
            {
                var lo = Math.Log(d.Low - 0.5);
                return (Math.Log(value) - lo) / (Math.Log(d.High + 0.5) - lo);
            }

            case IntDistribution d:
                return (Math.Round((value - d.Low) / d.Step) + 0.5) / DistributionSampling.Cardinality(d)!.Value;
            default:
                return value;
        }
    }

    public bool ContainsKey(string key) => _all.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Distribution value) => _all.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, Distribution>> GetEnumerator() => _all.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
