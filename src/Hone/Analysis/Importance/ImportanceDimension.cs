using Hone.Distributions;

namespace Hone.Analysis.Importance;

/// <summary>
/// One assessed parameter as the surrogate sees it: a numeric coordinate (in log space for a log-scaled range) on a
/// domain that gives every value of a discrete range the same width, or a categorical index.
/// </summary>
internal sealed class ImportanceDimension
{
    public ImportanceDimension(string name, Distribution distribution)
    {
        Name = name;
        Distribution = distribution;
        switch (distribution)
        {
            case CategoricalDistribution c:
                Categories = c.Choices.Count;
                Low = 0;
                High = Categories;
                break;
            case FloatDistribution f:
                Log = f.Log;
                (Low, High) = f.Log ? (Math.Log(f.Low), Math.Log(f.High))
                    : f.Step is { } s ? (f.Low - (s / 2), f.High + (s / 2))
                    : (f.Low, f.High);
                break;
            case IntDistribution i:
                Log = i.Log;
                (Low, High) = i.Log ? (Math.Log(i.Low - 0.5), Math.Log(i.High + 0.5)) : (i.Low - (i.Step / 2.0), i.High + (i.Step / 2.0));
                break;
            default:
                throw new ArgumentException($"Parameter \"{name}\" has an unknown kind of distribution {distribution}.", nameof(distribution));
        }
    }

    public string Name { get; }

    public Distribution Distribution { get; }

    /// <summary>The number of choices of a categorical parameter; 0 for a numeric one.</summary>
    public int Categories { get; }

    public bool IsCategorical => Categories > 0;

    public bool Log { get; }

    /// <summary>The lower end of the numeric domain (model space).</summary>
    public double Low { get; }

    /// <summary>The upper end of the numeric domain (model space).</summary>
    public double High { get; }

    /// <summary>An internal value in model space: its logarithm for a log-scaled range, else itself (a categorical's index).</summary>
    public double ToModel(double internalValue) => Log ? Math.Log(internalValue) : internalValue;
}
