using Hone.Population;
using Hone.Studies;
using Hone.Tests.Artifacts;
using Hone.Trials;

namespace Hone.Tests.Population;

/// <summary>PB2's explore step (<see cref="PbtExploreMethod.Pb2"/>) run inside population-based training.</summary>
public sealed class Pb2Tests : IDisposable
{
    private const double Optimum = 0.02;
    private readonly ArtifactFolder _folder = new();

    private static int? Attr(FrozenTrial t, string key) =>
        t.SystemAttrs.TryGetValue(key, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.Number ? v.GetInt32() : null;

    /// <summary>The gain of a step: a bump in log10(lr) centred on <see cref="Optimum"/>, whatever the score so far.</summary>
    private static double Gain(double lr) => Math.Exp(-Math.Pow(Math.Log10(lr) - Math.Log10(Optimum), 2) / (2 * 0.4 * 0.4));

    /// <summary>A member's score is the sum of its steps' gains; its checkpoint is the score.</summary>
    private static double TrainBump(PbtSegment segment)
    {
        var lr = segment.Trial.SuggestFloat("lr", 1e-5, 1, log: true);
        var momentum = segment.Trial.SuggestFloat("momentum", 0, 0.99);
        var checkpoint = segment.LoadCheckpoint();
        var score = checkpoint is null ? 0.0 : BitConverter.ToDouble(checkpoint.Data.Span);
        for (var step = segment.StartStep; step < segment.EndStep; step++)
        {
            score += Gain(lr) * (1 - (0.1 * momentum));
        }

        segment.SaveCheckpoint(new MemoryStream(BitConverter.GetBytes(score)));
        return score;
    }

    /// <summary>How far, in decades, the explored learning rates of the later generations lie from the optimum (mean).</summary>
    private double ExploredDistance(PbtExploreMethod method, int seed)
    {
        var study = _folder.NewStudy($"bump-{method}-{seed}", StudyDirection.Maximize, new Hone.Samplers.RandomSampler(seed));
        var options = new PbtOptions { PopulationSize = 8, Interval = 1, Generations = 12, Seed = seed, Explore = method };
        new PopulationBasedTraining(options).Run(study, TrainBump, parallelism: 1);
        var explored = study.GetTrials(TrialState.Complete).Where(t => Attr(t, "pbt:exploited_member") is not null && Attr(t, "pbt:generation") >= 4).ToList();
        Assert.NotEmpty(explored);
        return explored.Average(t => Math.Abs(Math.Log10((double)t.Params["lr"]!) - Math.Log10(Optimum)));
    }

    [Fact]
    public void Pb2_OnASmoothBump_ExploredLearningRatesConcentrateNearTheOptimum_MoreThanPerturbation()
    {
        int[] seeds = [1, 2, 3, 4];
        var pb2 = seeds.Select(s => ExploredDistance(PbtExploreMethod.Pb2, s)).ToList();
        var perturb = seeds.Select(s => ExploredDistance(PbtExploreMethod.Perturb, s)).ToList();
        var message = $"PB2 {string.Join(", ", pb2.Select(v => v.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}; "
            + $"perturb {string.Join(", ", perturb.Select(v => v.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}";
        Assert.True(pb2.Average() < 0.5 * perturb.Average(), message);
        Assert.True(pb2.Average() < 0.25, message);
    }

    [Fact]
    public void Pb2_OnTheToyModel_EveryProposalIsInItsDistribution_AndComesFromTheModel()
    {
        var study = _folder.NewStudy(direction: StudyDirection.Maximize);
        var model = new ToyModel();
        var options = new PbtOptions { PopulationSize = 6, Interval = 2, Generations = 10, Seed = 7, Explore = PbtExploreMethod.Pb2, ResampleProbability = 0.3 };
        new PopulationBasedTraining(options).Run(study, model.Train, parallelism: 2);

        var segments = study.GetTrials(TrialState.Complete);
        Assert.Equal(6, segments.Select(t => Attr(t, "pbt:member")).Distinct().Count());
        Assert.All(segments.GroupBy(t => Attr(t, "pbt:member")), m => Assert.Equal(9, m.Max(t => Attr(t, "pbt:generation"))));
        foreach (var t in segments)
        {
            foreach (var (name, x) in t.InternalParams)
            {
                Assert.True(t.Distributions[name].Contains(x), $"trial {t.Number}: {name} = {x} is outside {t.Distributions[name]}");
            }
        }

        // After the first interval the learning rate of an exploiting member is the model's choice, not the donor's
        // value times 0.8 or 1.2.
        var exploits = segments.Where(t => Attr(t, "pbt:exploited_member") is not null && Attr(t, "pbt:generation") >= 3).ToList();
        Assert.NotEmpty(exploits);
        var modelled = exploits.Count(t =>
        {
            var donor = (double)study.Trials[Attr(t, "pbt:parent")!.Value].Params["lr"]!;
            var lr = (double)t.Params["lr"]!;
            return Math.Abs(lr - (donor * 0.8)) > 1e-12 && Math.Abs(lr - (donor * 1.2)) > 1e-12 && lr != donor;
        });
        Assert.True(modelled * 2 > exploits.Count, $"{modelled} of {exploits.Count} explored learning rates came from the GP");
    }

    [Fact]
    public void Pb2_NoNumericHyperparameterToModel_CategoricalsAreResampledOrKept()
    {
        var study = _folder.NewStudy(direction: StudyDirection.Maximize);
        var options = new PbtOptions { PopulationSize = 4, Interval = 1, Generations = 6, Seed = 3, Explore = PbtExploreMethod.Pb2, ResampleProbability = 0.5 };
        new PopulationBasedTraining(options).Run(study, s =>
        {
            var kind = s.Trial.SuggestCategorical("kind", ["a", "b", "c"]);
            var score = (s.LoadCheckpoint() is { } c ? BitConverter.ToDouble(c.Data.Span) : 0) + (kind == "b" ? 1 : 0.5);
            s.SaveCheckpoint(new MemoryStream(BitConverter.GetBytes(score)));
            return score;
        });
        Assert.All(study.GetTrials(TrialState.Complete).GroupBy(t => Attr(t, "pbt:member")), m => Assert.Equal(5, m.Max(t => Attr(t, "pbt:generation"))));
        Assert.All(study.GetTrials(TrialState.Complete), t => Assert.Contains((string)t.Params["kind"]!, new[] { "a", "b", "c" }));
    }

    public void Dispose() => _folder.Dispose();
}
