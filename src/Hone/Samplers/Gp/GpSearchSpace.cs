using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Hone.Distributions;

namespace Hone.Samplers.Gp;

/// <summary>How one coordinate of the GP's input is modelled.</summary>
internal enum GpDimensionKind
{
    /// <summary>A continuous float: a coordinate of [0, 1], linear or in log space.</summary>
    Continuous,

    /// <summary>An integer or stepped float: the centre of its value's cell in [0, 1], moved by whole steps.</summary>
    Discrete,

    /// <summary>A categorical: the index of the choice; the kernel compares indices for equality only.</summary>
    Categorical,
}

/// <summary>
/// The parameters the GP models jointly, in name order, and how each maps to and from its coordinate of the model's
/// input: continuous floats onto [0, 1] (log parameters in log space); integer and stepped ranges onto [0, 1] with half a
/// step of padding at each end, every value at the centre of its cell; categoricals as their choice index.
/// </summary>
internal sealed class GpSearchSpace : IReadOnlyDictionary<string, Distribution>
{
    /// <summary>Discrete parameters with more values than this are also moved continuously (then rounded) by the acquisition optimiser.</summary>
    internal const int RelaxAbove = 16;

    private readonly Dictionary<string, Distribution> _all = new(StringComparer.Ordinal);
    private readonly double[] _lo;
    private readonly double[] _hi;

    public GpSearchSpace(SortedDictionary<string, Distribution> dims)
    {
        Names = [.. dims.Keys];
        Distributions = [.. dims.Values];
        var d = Names.Length;
        Kinds = new GpDimensionKind[d];
        Categories = new int[d];
        Cardinality = new long[d];
        _lo = new double[d];
        _hi = new double[d];
        for (var i = 0; i < d; i++)
        {
            _all[Names[i]] = Distributions[i];
            switch (Distributions[i])
            {
                case CategoricalDistribution c:
                    Kinds[i] = GpDimensionKind.Categorical;
                    Categories[i] = c.Choices.Count;
                    Cardinality[i] = c.Choices.Count;
                    break;
                case FloatDistribution { Step: null } f:
                    Kinds[i] = GpDimensionKind.Continuous;
                    (_lo[i], _hi[i]) = f.Log ? (Math.Log(f.Low), Math.Log(f.High)) : (f.Low, f.High);
                    break;
                case IntDistribution { Log: true } li:
                    Kinds[i] = GpDimensionKind.Discrete;
                    (_lo[i], _hi[i]) = (Math.Log(li.Low - 0.5), Math.Log(li.High + 0.5));
                    Cardinality[i] = DistributionSampling.Cardinality(li)!.Value;
                    break;
                default:
                    Kinds[i] = GpDimensionKind.Discrete;
                    Cardinality[i] = DistributionSampling.Cardinality(Distributions[i])!.Value;
                    break;
            }
        }

        IsCategorical = [.. Kinds.Select(k => k == GpDimensionKind.Categorical)];
        IsRelaxed = [.. Kinds.Select((k, i) => k == GpDimensionKind.Continuous || (k == GpDimensionKind.Discrete && Cardinality[i] > RelaxAbove))];
    }

    /// <summary>The parameters, sorted by name (ordinal).</summary>
    public string[] Names { get; }

    /// <summary>Their distributions.</summary>
    public Distribution[] Distributions { get; }

    /// <summary>How each coordinate is modelled.</summary>
    public GpDimensionKind[] Kinds { get; }

    /// <summary>Whether each coordinate is categorical (for the kernel).</summary>
    public bool[] IsCategorical { get; }

    /// <summary>Whether the acquisition optimiser moves each coordinate by gradient (continuous ones, and discrete ones with many values, rounded afterwards).</summary>
    public bool[] IsRelaxed { get; }

    /// <summary>The number of choices of categorical coordinates; 0 for the others.</summary>
    public int[] Categories { get; }

    /// <summary>The number of values of discrete and categorical coordinates; 0 for continuous ones.</summary>
    public long[] Cardinality { get; }

    public int Count => _all.Count;

    public IEnumerable<string> Keys => _all.Keys;

    public IEnumerable<Distribution> Values => _all.Values;

    public Distribution this[string key] => _all[key];

    /// <summary>The model coordinate of an internal value.</summary>
    public double Encode(int i, double value)
    {
        switch (Distributions[i])
        {
            case CategoricalDistribution:
                return value;
            case FloatDistribution { Step: null } f:
                return _hi[i] > _lo[i] ? Math.Clamp(((f.Log ? Math.Log(value) : value) - _lo[i]) / (_hi[i] - _lo[i]), 0, 1) : 0.5;
            case IntDistribution { Log: true }:
                return Math.Clamp((Math.Log(value) - _lo[i]) / (_hi[i] - _lo[i]), 0, 1);
            default:
            {
                var (low, step) = LowAndStep(Distributions[i]);
                var k = Math.Clamp(Math.Round((value - low) / step), 0, Cardinality[i] - 1);
                return (k + 0.5) / Cardinality[i];
            }
        }
    }

    /// <summary>The internal value at model coordinate <paramref name="u"/>: clamped into the range and rounded to the grid.</summary>
    public double Decode(int i, double u)
    {
        switch (Distributions[i])
        {
            case CategoricalDistribution c:
                return Math.Clamp(Math.Round(u), 0, c.Choices.Count - 1);
            case FloatDistribution { Step: null } f:
            {
                var x = _lo[i] + (Math.Clamp(u, 0, 1) * (_hi[i] - _lo[i]));
                return Math.Clamp(f.Log ? Math.Exp(x) : x, f.Low, f.High);
            }

            case IntDistribution { Log: true } li:
                return Math.Clamp(Math.Round(Math.Exp(_lo[i] + (Math.Clamp(u, 0, 1) * (_hi[i] - _lo[i])))), li.Low, li.High);
            default:
            {
                var k = Math.Clamp((long)Math.Floor(Math.Clamp(u, 0, 1) * Cardinality[i]), 0, Cardinality[i] - 1);
                return DistributionSampling.NthValue(Distributions[i], k);
            }
        }
    }

    /// <summary>The coordinate moved onto the grid (the centre of its value's cell, or its choice index).</summary>
    public double Snap(int i, double u) => Kinds[i] == GpDimensionKind.Continuous ? Math.Clamp(u, 0, 1) : Encode(i, Decode(i, u));

    /// <summary>The coordinate of the neighbouring grid value, <paramref name="direction"/> steps away, or null past an end.</summary>
    public double? Neighbour(int i, double u, int direction)
    {
        var v = Decode(i, u);
        double next;
        switch (Distributions[i])
        {
            case IntDistribution { Log: true } li:
                next = v + direction;
                if (next < li.Low || next > li.High)
                {
                    return null;
                }

                break;
            default:
            {
                var (low, step) = LowAndStep(Distributions[i]);
                var k = Math.Round((v - low) / step) + direction;
                if (k < 0 || k > Cardinality[i] - 1)
                {
                    return null;
                }

                next = DistributionSampling.NthValue(Distributions[i], (long)k);
                break;
            }
        }

        return Encode(i, next);
    }

    public bool ContainsKey(string key) => _all.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Distribution value) => _all.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, Distribution>> GetEnumerator() => _all.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Whether two spaces have the same parameters with the same distributions.</summary>
    public bool SameAs(GpSearchSpace? other)
    {
        if (other is null || other.Names.Length != Names.Length)
        {
            return false;
        }

        for (var i = 0; i < Names.Length; i++)
        {
            if (!string.Equals(Names[i], other.Names[i], StringComparison.Ordinal) || !Distributions[i].Equals(other.Distributions[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static (double Low, double Step) LowAndStep(Distribution d) => d switch
    {
        FloatDistribution { Step: { } s } f => (f.Low, s),
        IntDistribution i => (i.Low, i.Step),
        _ => (0, 1),
    };
}
