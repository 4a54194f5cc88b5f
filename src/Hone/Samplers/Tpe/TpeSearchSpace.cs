using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Hone.Distributions;

namespace Hone.Samplers.Tpe;

/// <summary>
/// The relative search space TPE hands to the study: the parameters it will sample jointly, split into groups
/// that are each modelled on their own (one group unless <see cref="TpeSamplerOptions.Group"/>). Immutable, so
/// it carries its grouping from <see cref="TpeSampler.InferRelativeSearchSpace"/> to
/// <see cref="TpeSampler.SampleRelative"/> whatever other threads do in between.
/// </summary>
internal sealed class TpeSearchSpace : IReadOnlyDictionary<string, Distribution>
{
    public static readonly TpeSearchSpace Empty = new([]);

    private readonly Dictionary<string, Distribution> _all = new(StringComparer.Ordinal);

    /// <param name="groups">Each group's parameters; names are sorted within a group, single-valued distributions dropped.</param>
    public TpeSearchSpace(IEnumerable<IEnumerable<KeyValuePair<string, Distribution>>> groups)
    {
        var list = new List<TpeDimension[]>();
        foreach (var group in groups)
        {
            var dims = new List<TpeDimension>();
            foreach (var (name, distribution) in group)
            {
                if (!distribution.IsSingle)
                {
                    dims.Add(new TpeDimension(name, distribution));
                }
            }

            if (dims.Count == 0)
            {
                continue;
            }

            dims.Sort((x, y) => string.CompareOrdinal(x.Name, y.Name));
            foreach (var dim in dims)
            {
                _all[dim.Name] = dim.Distribution;
            }

            list.Add([.. dims]);
        }

        Groups = list;
    }

    /// <summary>The groups, each sampled jointly.</summary>
    public IReadOnlyList<TpeDimension[]> Groups { get; }

    public int Count => _all.Count;

    public IEnumerable<string> Keys => _all.Keys;

    public IEnumerable<Distribution> Values => _all.Values;

    public Distribution this[string key] => _all[key];

    public bool ContainsKey(string key) => _all.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Distribution value) => _all.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, Distribution>> GetEnumerator() => _all.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
