using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Analysis.Importance;

/// <summary>Studies of random trials on functions whose parameter importances are known.</summary>
internal static class ImportanceStudies
{
    public static Dictionary<string, Distribution> Floats(int count, double low = 0, double high = 1) =>
        Enumerable.Range(0, count).ToDictionary(i => $"x{i}", _ => (Distribution)new FloatDistribution(low, high));

    /// <summary>A study of <paramref name="trials"/> trials drawn uniformly (log-uniformly for log ranges) from the distributions.</summary>
    public static Study Random(
        IReadOnlyDictionary<string, Distribution> space, int trials, Func<IReadOnlyDictionary<string, object?>, double[]> objective,
        int seed = 1, StudyDirection[]? directions = null)
    {
        var study = Study.Create(new StudyOptions { Directions = directions ?? [StudyDirection.Minimize] });
        var random = new Random(seed);
        for (var t = 0; t < trials; t++)
        {
            var values = space.ToDictionary(p => p.Key, p => Draw(p.Value, random));
            study.AddTrial(FrozenTrial.Create(values, space, objective(values)));
        }

        return study;
    }

    public static Study Random(IReadOnlyDictionary<string, Distribution> space, int trials, Func<IReadOnlyDictionary<string, object?>, double> objective, int seed = 1) =>
        Random(space, trials, p => [objective(p)], seed);

    public static double X(this IReadOnlyDictionary<string, object?> p, string name) => Convert.ToDouble(p[name], System.Globalization.CultureInfo.InvariantCulture);

    public static object? Draw(Distribution d, Random random) => d switch
    {
        FloatDistribution { Log: true } f => Math.Exp(Math.Log(f.Low) + (random.NextDouble() * (Math.Log(f.High) - Math.Log(f.Low)))),
        FloatDistribution { Step: { } s } f => f.Low + (s * random.Next((int)Math.Round((f.High - f.Low) / s) + 1)),
        FloatDistribution f => f.Low + (random.NextDouble() * (f.High - f.Low)),
        IntDistribution { Log: true } i => (int)Math.Clamp(Math.Round(Math.Exp(Math.Log(i.Low - 0.5) + (random.NextDouble() * (Math.Log(i.High + 0.5) - Math.Log(i.Low - 0.5))))), i.Low, i.High),
        IntDistribution i => i.Low + (i.Step * random.Next(((i.High - i.Low) / i.Step) + 1)),
        CategoricalDistribution c => c.Choices[random.Next(c.Choices.Count)],
        _ => throw new ArgumentException($"unknown distribution {d}"),
    };
}
