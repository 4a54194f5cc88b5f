using System.Text.Json;
using Hone.Analysis;
using Hone.Distributions;
using Hone.Samplers;
using Hone.Samplers.Tpe;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Tests.Studies;

public sealed class ConstraintTests
{
    [Fact]
    public void SetConstraint_IsStoredAsOptunasJsonList_WithNames()
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(1) });
        study.Optimize(t =>
        {
            t.SetConstraint("memory", 1.5);
            t.SetConstraint("latency", -2);
            t.SetConstraint("memory", 0.25);
            return 1;
        }, new OptimizeOptions { Trials = 1 });

        var trial = study.Trials[0];
        var stored = trial.SystemAttrs["constraints"];
        Assert.Equal(JsonValueKind.Array, stored.ValueKind);
        Assert.Equal([0.25, -2.0], stored.EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(["memory", "latency"], trial.SystemAttrs["constraint_names"].EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([0.25, -2.0], trial.Constraints!);
        Assert.False(trial.IsFeasible);
        Assert.Equal(0.25, trial.ConstraintViolation);
    }

    [Fact]
    public void ConstraintsFunction_SeesTheFinishedTrial_AndFollowsTheNamedOnes()
    {
        FrozenTrial? seen = null;
        var study = Study.Create(new StudyOptions
        {
            Sampler = new RandomSampler(1),
            Constraints = t =>
            {
                seen = t;
                return [t.Value!.Value - 10, -1];
            },
        });
        study.Optimize(t =>
        {
            t.SetConstraint("c", -3);
            return 4;
        }, new OptimizeOptions { Trials = 1 });

        Assert.Equal(TrialState.Complete, seen!.State);
        Assert.Equal(4, seen.Value);
        var trial = study.Trials[0];
        Assert.Equal([-3.0, -6.0, -1.0], trial.Constraints!);
        Assert.Equal(["c", "[0]", "[1]"], trial.SystemAttrs["constraint_names"].EnumerateArray().Select(e => e.GetString()));
        Assert.True(trial.IsFeasible);
    }

    [Fact]
    public void PrunedTrials_GetConstraints_FailedOnesDoNot()
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(1), Constraints = _ => [1] });
        Func<Trial, double> objective = t =>
        {
            t.Report(1, 0);
            return t.Number == 0 ? throw new TrialPrunedException() : throw new InvalidOperationException("boom");
        };
        study.Optimize(objective, new OptimizeOptions { Trials = 2 });

        Assert.Equal([1.0], study.Trials[0].Constraints!);
        Assert.Null(study.Trials[1].Constraints);
    }

    [Theory]
    [InlineData("throw")]
    [InlineData("nan")]
    public void ABadConstraintsFunction_FailsTheTrial_WithTheReason(string kind)
    {
        var study = Study.Create(new StudyOptions
        {
            Sampler = new RandomSampler(1),
            Constraints = _ => kind == "throw" ? throw new InvalidOperationException("no memory reading") : [double.NaN],
        });
        study.Optimize(_ => 1, new OptimizeOptions { Trials = 1 });

        var trial = study.Trials[0];
        Assert.Equal(TrialState.Fail, trial.State);
        Assert.Contains(kind == "throw" ? "no memory reading" : "NaN", trial.SystemAttrs["fail_reason"].GetString());
    }

    [Fact]
    public void SetConstraint_RejectsNonFiniteValues()
    {
        var trial = new FixedTrial(new Dictionary<string, object?>());
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => trial.SetConstraint("c", double.NaN)).Message);
        Assert.Throws<ArgumentException>(() => trial.SetConstraint("", 1));
        trial.SetConstraint("c", 2);
        Assert.Equal(2, trial.Constraints["c"]);
    }

    [Fact]
    public void BestTrial_IsTheBestFeasibleTrial()
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(3) });
        study.Optimize(t =>
        {
            var x = t.SuggestFloat("x", 0, 1);
            t.SetConstraint("x_at_least_half", 0.5 - x);
            return x;
        }, new OptimizeOptions { Trials = 40 });

        Assert.True(study.Trials.Min(t => t.Value) < 0.5);
        Assert.InRange(study.BestValue, 0.5, 1);
        Assert.Equal(study.Trials.Where(t => t.IsFeasible).Min(t => t.Value), study.BestValue);
        Assert.All(study.BestTrials, t => Assert.True(t.IsFeasible));
    }

    [Fact]
    public void WithoutFeasibleTrials_ThereIsNoBestTrial()
    {
        var study = Study.Create(new StudyOptions { Constraints = _ => [1] });
        var trial = study.Ask();
        study.Tell(trial, 1.0);
        Assert.Contains("feasible", Assert.Throws<InvalidOperationException>(() => study.BestTrial).Message);
        Assert.Empty(study.BestTrials);
    }

    [Fact]
    public void BestTrials_OfSeveralObjectives_AreTheFeasiblePareto()
    {
        var study = Study.Create(new StudyOptions { Directions = [StudyDirection.Minimize, StudyDirection.Minimize] });
        var d = new Dictionary<string, Distribution> { ["x"] = new FloatDistribution(0, 1) };
        void Add(double a, double b, double constraint) =>
            study.AddTrial(FrozenTrial.Create(new Dictionary<string, object?> { ["x"] = 0.5 }, d, [a, b]) with
            {
                SystemAttrs = new Dictionary<string, JsonElement> { ["constraints"] = AttributeValue.From("constraints", new[] { constraint }) },
            });

        Add(0, 0, 1);   // dominates everything, but infeasible
        Add(1, 2, 0);
        Add(2, 1, -1);
        Add(3, 3, 0);
        Assert.Equal([1, 2], study.BestTrials.Select(t => t.Number).Order());
        Assert.Equal(1 * 2 + 1 * 1, Hypervolume.History(study, [3, 3])[^1].Hypervolume, 12);
    }

    [Fact]
    public void TrialsWithoutConstraints_AreFeasible()
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(3) });
        study.Optimize(t => t.SuggestFloat("x", 0, 1), new OptimizeOptions { Trials = 5 });
        Assert.All(study.Trials, t => Assert.True(t.IsFeasible));
        Assert.Equal(study.Trials.Min(t => t.Value), study.BestValue);
    }

    [Fact]
    public void TpeHistory_RanksInfeasibleTrialsLast_ByViolation()
    {
        var study = Study.Create(new StudyOptions { Sampler = new RandomSampler(1) });
        var d = new Dictionary<string, Distribution> { ["x"] = new FloatDistribution(0, 2) };
        void Add(double value, double? constraint, TrialState state = TrialState.Complete)
        {
            var t = FrozenTrial.Create(new Dictionary<string, object?> { ["x"] = 1.0 }, d, state == TrialState.Complete ? [value] : null, state,
                state == TrialState.Pruned ? new Dictionary<int, double> { [0] = value } : null);
            study.AddTrial(constraint is { } c
                ? t with { SystemAttrs = new Dictionary<string, JsonElement> { ["constraints"] = AttributeValue.From("constraints", new[] { c }) } }
                : t);
        }

        Add(-100, 5);                      // obs 0: best value, most violated
        Add(10, -1);                       // obs 1
        Add(-50, 1);                       // obs 2: infeasible, less violated
        Add(20, null);                     // obs 3: no constraints, feasible
        Add(-1, null, TrialState.Pruned);  // obs 4: feasible pruned
        var history = new ObservationHistory(StudyDirection.Minimize);
        var view = history.Refresh(study);
        int[] Below(int n) => history.GetSplit(view.Version, view.Count, n).Below;
        Assert.Equal([1], Below(1));
        Assert.Equal([1, 3], Below(2));
        Assert.Equal([1, 3, 4], Below(3));
        Assert.Equal([1, 2, 3, 4], Below(4));
    }

    [Fact]
    public void Tpe_LearnsToStayFeasible()
    {
        // The unconstrained optimum (x = 0) is infeasible; feasible is x ≥ 1, a quarter of the range.
        static double Objective(Trial t)
        {
            var x = t.SuggestFloat("x", -2, 2);
            var y = t.SuggestFloat("y", -2, 2);
            t.SetConstraint("x_at_least_1", 1 - x);
            return (x * x) + (y * y);
        }

        var study = Study.Create(new StudyOptions { Sampler = new TpeSampler(new TpeSamplerOptions { Seed = 5 }) });
        study.Optimize(Objective, new OptimizeOptions { Trials = 100 });
        // The optimum lies on the boundary, so about half of the proposals near it fall outside; a sampler blind to the
        // constraint would move to x = 0, where none is feasible.
        var late = study.Trials.Skip(50).ToList();
        var feasible = late.Count(t => t.IsFeasible);
        var medianX = late.Select(t => (double)t.Params["x"]!).Order().ElementAt(25);
        Assert.True(feasible >= 15, $"only {feasible} of the last 50 trials were feasible");
        Assert.True(medianX > 0.7, $"the last 50 trials' median x is {medianX}");
        Assert.InRange(study.BestTrial.Params["x"] is double x ? x : 0, 1, 1.3);
    }
}
