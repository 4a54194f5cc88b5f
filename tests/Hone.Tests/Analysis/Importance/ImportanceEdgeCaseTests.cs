using Hone.Analysis.Importance;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Analysis.Importance;

/// <summary>Small and degenerate studies: every method either answers (finite importances summing to 1) or refuses with an ArgumentException.</summary>
public class ImportanceEdgeCaseTests
{
    private static readonly Dictionary<string, Distribution> Space = new()
    {
        ["f"] = new FloatDistribution(-1, 1),
        ["lf"] = new FloatDistribution(1e-3, 10, log: true),
        ["sf"] = new FloatDistribution(0, 1, step: 0.5),
        ["i"] = new IntDistribution(0, 3),
        ["li"] = new IntDistribution(1, 64, log: true),
        ["c"] = new CategoricalDistribution(["a", "b", "c", "d", "e"]),
        ["b"] = new CategoricalDistribution([true, false]),
    };

    [Theory]
    [InlineData(ImportanceMethod.Fanova)]
    [InlineData(ImportanceMethod.PedAnova)]
    [InlineData(ImportanceMethod.MeanDecreaseImpurity)]
    public void SmallRandomStudies_AnswerOrRefuseCleanly(ImportanceMethod method)
    {
        var answered = 0;
        for (var seed = 0; seed < 60; seed++)
        {
            var random = new Random(seed);
            var study = Study.Create();
            var trials = 2 + random.Next(12);
            var values = random.Next(3) switch
            {
                0 => Enumerable.Range(0, trials).Select(_ => Math.Round(random.NextDouble() * 3)).ToArray(),
                1 => Enumerable.Range(0, trials).Select(_ => random.NextDouble()).ToArray(),
                _ => Enumerable.Range(0, trials).Select(t => t == 0 ? double.PositiveInfinity : random.NextDouble() * 1e6).ToArray(),
            };
            var repeat = random.Next(2) == 0;
            Dictionary<string, object?>? first = null;
            for (var t = 0; t < trials; t++)
            {
                var parameters = repeat && first is not null ? first : Space.ToDictionary(p => p.Key, p => ImportanceStudies.Draw(p.Value, random));
                first ??= parameters;
                study.AddTrial(FrozenTrial.Create(parameters, Space, [values[t]]));
            }

            ImportanceResult result;
            try
            {
                result = ParameterImportance.Evaluate(study, new ImportanceOptions { Method = method, Seed = seed, Trees = 8 });
            }
            catch (ArgumentException)
            {
                continue;
            }

            Assert.Equal(Space.Count, result.Parameters.Count);
            Assert.All(result.Parameters, p => Assert.True(double.IsFinite(p.Importance) && p.Importance >= 0 && double.IsFinite(p.Spread), $"seed {seed}: {p}"));
            Assert.Equal(1.0, result.Parameters.Sum(p => p.Importance), 9);
            answered++;
        }

        Assert.InRange(answered, 30, 59);
    }

    [Fact]
    public void IdenticalParametersWithDifferentValues_GiveEqualShares()
    {
        var study = Study.Create();
        var space = new Dictionary<string, Distribution> { ["x"] = new FloatDistribution(0, 1), ["y"] = new FloatDistribution(0, 1) };
        study.AddTrial(FrozenTrial.Create(new Dictionary<string, object?> { ["x"] = 0.5, ["y"] = 0.5 }, space, [1]));
        study.AddTrial(FrozenTrial.Create(new Dictionary<string, object?> { ["x"] = 0.5, ["y"] = 0.5 }, space, [2]));

        foreach (var method in new[] { ImportanceMethod.Fanova, ImportanceMethod.PedAnova, ImportanceMethod.MeanDecreaseImpurity })
        {
            var result = ParameterImportance.Evaluate(study, new ImportanceOptions { Method = method, Seed = 1 });
            Assert.Equal([0.5, 0.5], result.Parameters.Select(p => p.Importance));
        }
    }
}
