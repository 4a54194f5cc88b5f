// Population-based training of a small MLP on the bundled digits data, in .NET only, next to random search, TPE and
// TPE + Hyperband at the same compute (total SGD steps). See docs/pbt.md and docs/benchmarks.md.
//
//   dotnet run -c Release --project examples/PbtDotnet -- pbt              one PBT run, seed 1
//   dotnet run -c Release --project examples/PbtDotnet -- pb2              one PBT run with PB2's explore (GP bandit), seed 1
//   dotnet run -c Release --project examples/PbtDotnet -- all --seeds 5    every method, seeds 1..5, a summary table
//   options: --members 16 (population, and trials of the other methods)  --steps 1000 (SGD steps per member)
using System.Globalization;
using Hone.Artifacts;
using Hone.Population;
using Hone.Pruners;
using Hone.Samplers;
using Hone.Samplers.Tpe;
using Hone.Studies;
using Hone.Trials;
using PbtDotnet;

var method = args.Length > 0 ? args[0] : "pbt";
int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

var seeds = Option("--seeds", 1);
var members = Option("--members", 16);
var stepsPerMember = Option("--steps", 1000);
string[] methods = method == "all" ? ["random", "tpe", "tpe-hyperband", "pbt", "pb2"] : [method];
var data = Digits.Load(Digits.Find());
const int Hidden = 32;
const int Batch = 32;
const int Segments = 10;
var interval = stepsPerMember / Segments;

var results = new List<(string Method, int Seed, double Validation, double Test, long Steps)>();
foreach (var m in methods)
{
    for (var seed = 1; seed <= seeds; seed++)
    {
        var r = Run(m, seed);
        results.Add((m, seed, r.Validation, r.Test, r.Steps));
        Console.WriteLine(FormattableString.Invariant($"{m,-14} seed {seed}: validation {r.Validation:0.0000}  test {r.Test:0.0000}  steps {r.Steps}"));
    }
}

Console.WriteLine();
Console.WriteLine($"| method | median test accuracy | median validation accuracy | median SGD steps | seeds |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var g in results.GroupBy(r => r.Method))
{
    Console.WriteLine(FormattableString.Invariant(
        $"| {g.Key} | {Median(g.Select(r => r.Test)):0.0000} | {Median(g.Select(r => r.Validation)):0.0000} | {Median(g.Select(r => (double)r.Steps)):0} | {g.Count()} |"));
}

return;

static double Median(IEnumerable<double> values)
{
    var v = values.Order().ToArray();
    return v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
}

(double Validation, double Test, long Steps) Run(string name, int seed)
{
    var folder = Directory.CreateTempSubdirectory("hone-pbt-example-").FullName;
    try
    {
        using var study = Study.Create(new StudyOptions
        {
            Direction = StudyDirection.Maximize,
            ArtifactStore = new FileSystemArtifactStore(folder),
            Sampler = name.StartsWith("tpe", StringComparison.Ordinal) ? new TpeSampler(new TpeSamplerOptions { Seed = seed, StartupTrials = 5 }) : new RandomSampler(seed),
            Pruner = name == "tpe-hyperband" ? new HyperbandPruner(new HyperbandPrunerOptions { MinResource = 1, MaxResource = Segments, ReductionFactor = 3 }) : null,
        });
        long steps = 0;
        int best;
        if (name is "pbt" or "pb2")
        {
            var pbt = new PopulationBasedTraining(new PbtOptions
            {
                PopulationSize = members, Interval = interval, Generations = Segments, Seed = seed,
                Explore = name == "pb2" ? PbtExploreMethod.Pb2 : PbtExploreMethod.Perturb,
            });
            pbt.Run(study, segment =>
            {
                var (lr, momentum, decay) = Suggest(segment.Trial);
                var model = segment.LoadCheckpoint() is { } c ? Mlp.Load(Hidden, c.Data.Span) : new Mlp(Hidden, (seed * 1000) + segment.Member);
                for (var step = segment.StartStep; step < segment.EndStep; step++)
                {
                    model.Step(data, step, seed, Batch, lr, momentum, decay);
                }

                Interlocked.Add(ref steps, segment.EndStep - segment.StartStep);
                segment.SaveCheckpoint(new MemoryStream(model.Save()));
                return model.Accuracy(data, data.Validation);
            });
            best = PbtLineage.OfBest(study).Segments[^1].Number;
        }
        else
        {
            // The same compute: trials of a full member's length until the budget of members × steps is spent
            // (with Hyperband, pruned trials stop early and leave room for more).
            var budget = (long)members * stepsPerMember;
            while (steps < budget)
            {
                var trial = study.Ask();
                var (lr, momentum, decay) = Suggest(trial);
                var model = new Mlp(Hidden, (seed * 1000) + trial.Number);
                var accuracy = 0.0;
                var pruned = false;
                for (var s = 0; s < Segments && !pruned; s++)
                {
                    for (var step = s * interval; step < (s + 1) * interval; step++)
                    {
                        model.Step(data, step, seed, Batch, lr, momentum, decay);
                    }

                    steps += interval;
                    accuracy = model.Accuracy(data, data.Validation);
                    trial.Report(accuracy, s + 1);
                    pruned = trial.ShouldPrune();
                }

                trial.SaveCheckpoint(stepsPerMember, new MemoryStream(model.Save()));
                study.Tell(trial, pruned ? TrialState.Pruned : TrialState.Complete, pruned ? null : [accuracy]);
            }

            best = study.BestTrial.Number;
        }

        var winner = Mlp.Load(Hidden, study.LoadCheckpoint(best)!.Data.Span);
        return (winner.Accuracy(data, data.Validation), winner.Accuracy(data, data.Test), steps);
    }
    finally
    {
        Directory.Delete(folder, recursive: true);
    }
}

static (double Lr, double Momentum, double WeightDecay) Suggest(Trial trial) => (
    trial.SuggestFloat("lr", 1e-3, 1.0, log: true),
    trial.SuggestFloat("momentum", 0.0, 0.99),
    trial.SuggestFloat("weight_decay", 1e-6, 1e-2, log: true));
