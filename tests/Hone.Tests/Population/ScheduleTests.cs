using Hone.Artifacts;
using Hone.Population;
using Hone.Tests.Artifacts;

namespace Hone.Tests.Population;

public sealed class ScheduleTests : IDisposable
{
    private readonly ArtifactFolder _folder = new();

    [Fact]
    public void Cosine_StartsAtInitial_EndsAtFinal_HalfwayAtTheMean()
    {
        var s = new CosineSchedule(0.1, 0.001, 100);
        Assert.Equal(0.1, s.ValueAt(0), 12);
        Assert.Equal(0.0505, s.ValueAt(50), 12);
        Assert.Equal(0.001, s.ValueAt(100), 12);
        Assert.Equal(0.001, s.ValueAt(500), 12);
        Assert.True(s.ValueAt(30) > s.ValueAt(31));
    }

    [Fact]
    public void StepDecay_MultipliesByGammaEveryPeriod()
    {
        var s = new StepDecaySchedule(1.0, 0.5, 10);
        Assert.Equal(1.0, s.ValueAt(9));
        Assert.Equal(0.5, s.ValueAt(10));
        Assert.Equal(0.25, s.ValueAt(29));
    }

    [Fact]
    public void PiecewiseConstant_HoldsEachValueFromItsStep_AndRejectsBadSteps()
    {
        var s = new PiecewiseConstantSchedule([0, 10, 25], [0.1, 0.05, 0.2]);
        Assert.Equal(0.1, s.ValueAt(9));
        Assert.Equal(0.05, s.ValueAt(10));
        Assert.Equal(0.05, s.ValueAt(24));
        Assert.Equal(0.2, s.ValueAt(1000));
        Assert.Throws<ArgumentException>(() => new PiecewiseConstantSchedule([0, 10, 10], [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => new PiecewiseConstantSchedule([5], [1]));
    }

    [Fact]
    public void EverySchedule_RoundTripsThroughJson()
    {
        Schedule[] schedules = [new CosineSchedule(0.3, 0.01, 77), new StepDecaySchedule(0.1, 0.3, 7), new PiecewiseConstantSchedule([0, 4], [1.5, 0.25])];
        foreach (var s in schedules)
        {
            var back = Schedule.FromJson(s.ToJson());
            Assert.Equal(s, back);
            Assert.Equal(s.ValueAt(13), back.ValueAt(13));
        }

        var e = Assert.Throws<FormatException>(() => Schedule.FromJson(Hone.Trials.AttributeValue.From("x", new Dictionary<string, object> { ["kind"] = "linear" })));
        Assert.Contains("linear", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SuggestSchedule_TunesItsParameters_AndIsRecordedWithTheTrial()
    {
        var study = _folder.NewStudy();
        var trial = study.Ask();
        var cosine = trial.SuggestCosineSchedule("lr", 1e-4, 1e-1, totalSteps: 50);
        var decay = trial.SuggestStepDecaySchedule("momentum", 0.5, 0.99, totalSteps: 50, log: false);
        Assert.Equal(trial.Params["lr"], cosine.Initial);
        Assert.Equal((double)trial.Params["lr"]! * (double)trial.Params["lr.final_ratio"]!, cosine.Final, 12);
        Assert.Equal(trial.Params["momentum.step_size"], decay.StepSize);
        study.Tell(trial, 1.0);

        var stored = study.Trials[trial.Number];
        Assert.Equal(cosine, stored.GetSchedule("lr"));
        Assert.Equal(decay, stored.GetSchedule("momentum"));
        Assert.Null(stored.GetSchedule("dropout"));
    }

    public void Dispose() => _folder.Dispose();
}
