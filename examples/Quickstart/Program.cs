// Quickstart: tune a k-nearest-neighbours classifier on the iris data set with Hone.
// Run from the repository root: dotnet run --project examples/Quickstart
using System.Globalization;
using Hone.Samplers.Tpe;
using Hone.Studies;
using Hone.Trials;

var dataPath = args.Length > 0 ? args[0] : FindData("data/iris.csv");
var (features, labels) = Iris.Load(dataPath);

double Objective(Trial trial)
{
    var k = trial.SuggestInt("k", 1, 40, log: true);
    var weighting = trial.SuggestCategorical("weighting", ["uniform", "distance"]);
    var p = trial.SuggestFloat("minkowski_p", 1, 4, step: 0.5);
    var scale = trial.SuggestCategorical("scale", [true, false]);
    return Iris.CrossValidatedAccuracy(features, labels, k, weighting == "distance", p, scale, folds: 5, seed: 0);
}

var study = Study.Create(new StudyOptions
{
    Name = "iris-knn",
    Direction = StudyDirection.Maximize,
    Sampler = new TpeSampler(new TpeSamplerOptions { Seed = 42 }),
});

study.Optimize(Objective, new OptimizeOptions
{
    Trials = 60,
    Parallelism = 2,
    Callbacks = [(s, t) => Console.WriteLine(
        string.Create(CultureInfo.InvariantCulture, $"trial {t.Number,3}: accuracy {t.Value:F4}  {string.Join(", ", t.Params.Select(p => $"{p.Key}={p.Value}"))}"))],
});

Console.WriteLine();
Console.WriteLine($"Best trial: {study.BestTrial}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Best 5-fold accuracy: {study.BestValue:F4}"));

static string FindData(string relative)
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, relative);
        if (File.Exists(candidate))
        {
            return candidate;
        }
    }

    throw new FileNotFoundException($"Could not find {relative} above {AppContext.BaseDirectory}; pass the path to iris.csv as the first argument.");
}
