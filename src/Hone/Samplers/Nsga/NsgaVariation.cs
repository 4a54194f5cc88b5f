using Hone.Distributions;

namespace Hone.Samplers.Nsga;

/// <summary>
/// Makes a child from two parents: crossover (SBX, uniform or BLX-α on numeric parameters in the unit box, uniform on
/// categorical ones) with the crossover probability, else a copy of the first parent; then mutation (polynomial on
/// numeric parameters, a random choice on categorical ones). Values are internal; a value no operator changed is the
/// parent's exactly.
/// </summary>
internal sealed class NsgaVariation
{
    private readonly NsgaCrossover _crossover;
    private readonly double _crossoverProbability;
    private readonly double _swapping;
    private readonly double _sbxEta;
    private readonly double _blxAlpha;
    private readonly double? _mutationProbability;
    private readonly double _mutationEta;

    public NsgaVariation(NsgaIISamplerOptions options)
    {
        _crossover = options.Crossover;
        _crossoverProbability = options.CrossoverProbability;
        _swapping = options.SwappingProbability;
        _sbxEta = options.SbxEta;
        _blxAlpha = options.BlxAlpha;
        _mutationProbability = options.MutationProbability;
        _mutationEta = options.MutationEta;
    }

    public double[] Child(NsgaSearchSpace space, double[] first, double[] second, SeededRandom rng)
    {
        var n = space.Count;
        var child = new double[n];

        // The unit coordinate of a numeric value an operator produced; NaN where the value was copied from a parent.
        var unit = new double[n];
        Array.Copy(first, child, n);
        Array.Fill(unit, double.NaN);
        if (rng.NextDouble() < _crossoverProbability)
        {
            for (var i = 0; i < n; i++)
            {
                if (space.IsCategorical[i] || _crossover == NsgaCrossover.Uniform)
                {
                    child[i] = rng.NextDouble() < _swapping ? second[i] : first[i];
                    continue;
                }

                var a = space.ToUnit(i, first[i]);
                var b = space.ToUnit(i, second[i]);
                if (_crossover == NsgaCrossover.Sbx)
                {
                    if (rng.NextDouble() < _swapping && Math.Abs(a - b) > 1e-14)
                    {
                        unit[i] = Sbx(Math.Min(a, b), Math.Max(a, b), rng);
                    }
                    else
                    {
                        child[i] = rng.NextDouble() < 0.5 ? second[i] : first[i];
                    }
                }
                else if (a != b)
                {
                    var lo = Math.Min(a, b) - (_blxAlpha * Math.Abs(a - b));
                    var hi = Math.Max(a, b) + (_blxAlpha * Math.Abs(a - b));
                    unit[i] = Math.Clamp(lo + (rng.NextDouble() * (hi - lo)), 0, 1);
                }
            }
        }

        var pm = _mutationProbability ?? 1.0 / Math.Max(1, n);
        for (var i = 0; i < n; i++)
        {
            if (rng.NextDouble() >= pm)
            {
                continue;
            }

            if (space.Distributions[i] is CategoricalDistribution c)
            {
                child[i] = rng.NextInt(c.Choices.Count);
            }
            else
            {
                unit[i] = Polynomial(double.IsNaN(unit[i]) ? space.ToUnit(i, child[i]) : unit[i], rng);
            }
        }

        for (var i = 0; i < n; i++)
        {
            if (!double.IsNaN(unit[i]))
            {
                child[i] = space.FromUnit(i, unit[i]);
            }
        }

        return child;
    }

    /// <summary>Bounded simulated binary crossover of y1 ≤ y2 in [0, 1]: one of the two children, at random.</summary>
    private double Sbx(double y1, double y2, SeededRandom rng)
    {
        var power = 1 / (_sbxEta + 1);
        var u = rng.NextDouble();
        double Spread(double beta)
        {
            var alpha = 2 - Math.Pow(beta, -(_sbxEta + 1));
            return u <= 1 / alpha ? Math.Pow(u * alpha, power) : Math.Pow(1 / (2 - (u * alpha)), power);
        }

        var gap = y2 - y1;
        var c1 = 0.5 * (y1 + y2 - (Spread(1 + (2 * y1 / gap)) * gap));
        var c2 = 0.5 * (y1 + y2 + (Spread(1 + (2 * (1 - y2) / gap)) * gap));
        return Math.Clamp(rng.NextDouble() < 0.5 ? c1 : c2, 0, 1);
    }

    /// <summary>Bounded polynomial mutation of y in [0, 1].</summary>
    private double Polynomial(double y, SeededRandom rng)
    {
        var power = 1 / (_mutationEta + 1);
        var u = rng.NextDouble();
        double delta;
        if (u < 0.5)
        {
            var v = (2 * u) + ((1 - (2 * u)) * Math.Pow(1 - y, _mutationEta + 1));
            delta = Math.Pow(v, power) - 1;
        }
        else
        {
            var v = (2 * (1 - u)) + (2 * (u - 0.5) * Math.Pow(y, _mutationEta + 1));
            delta = 1 - Math.Pow(v, power);
        }

        return Math.Clamp(y + delta, 0, 1);
    }
}
