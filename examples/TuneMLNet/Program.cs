// Tunes an ML.NET model on a CSV file, as `hone tune` will:
//   dotnet run --project examples/TuneMLNet -- --data data/breast_cancer.csv --label target --task binary --metric auc --trials 50
// Everything but argument parsing and printing lives in Hone.MLNet (TabularData, MLNetTuner, TuneResult).
using System.Globalization;
using Hone.MLNet;
using Hone.MLNet.Data;
using Hone.MLNet.Metrics;
using Hone.MLNet.Tuning;
using Hone.MLNet.Validation;
using Hone.Storage;
using Hone.Storage.Sqlite;
using Hone.Trials;
using Microsoft.ML;

var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
    {
        return Usage($"Unexpected argument \"{args[i]}\".");
    }

    arguments[args[i][2..]] = args[++i];
}

string? Arg(string name) => arguments.TryGetValue(name, out var v) ? v : null;
if (Arg("data") is not { } dataPath)
{
    return Usage("--data is required.");
}

try
{
    var task = TuningTasks.Parse(Arg("task") ?? "binary");
    var options = new TuneOptions
    {
        Task = task,
        Metric = Arg("metric") is { } metric ? TuningMetrics.Parse(metric) : null,
        Trials = int.Parse(Arg("trials") ?? "50", CultureInfo.InvariantCulture),
        Trainers = Arg("trainers")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        Validation = Arg("validation") is { } validation ? ValidationStrategy.Parse(validation) : null,
        TestFraction = double.Parse(Arg("test-fraction") ?? "0.2", CultureInfo.InvariantCulture),
        Seed = int.Parse(Arg("seed") ?? "0", CultureInfo.InvariantCulture),
        Timeout = Arg("timeout") is { } timeout ? TimeSpan.FromSeconds(double.Parse(timeout, CultureInfo.InvariantCulture)) : null,
        Parallelism = int.Parse(Arg("parallelism") ?? "1", CultureInfo.InvariantCulture),
        IgnoreColumns = Arg("ignore")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
        Progress = new ConsoleProgress(),
        Storage = Arg("storage") is { } storage ? OpenStorage(storage) : null,
        StudyName = Arg("study"),
        LoadIfExists = Arg("study") is not null,
    };

    var table = TabularData.LoadCsv(dataPath);
    var label = Arg("label") ?? "target";
    Console.WriteLine($"{dataPath}: {table.RowCount} rows, {table.ColumnNames.Count} columns ({table.Layout}); tuning {options.Trials} trials...");
    var result = new MLNetTuner(new MLContext(options.Seed)).Tune(table, label, options);

    Console.WriteLine();
    Console.Write(result.FormatReport());
    var outDir = Arg("out") ?? Path.Combine("out", Path.GetFileName(dataPath).Split('.')[0]);
    Directory.CreateDirectory(outDir);
    var modelPath = Path.Combine(outDir, "model.zip");
    var summaryPath = Path.Combine(outDir, "summary.json");
    result.SaveModel(modelPath);
    File.WriteAllText(summaryPath, result.ToJson());
    Console.WriteLine($"Saved {modelPath} and {summaryPath}");
    return 0;
}
catch (Exception e) when (e is ArgumentException or FileNotFoundException or FormatException or InvalidOperationException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

// Hone.Storage.Sqlite registers the sqlite:// scheme when it loads; naming its type makes sure it is loaded.
static IStorage OpenStorage(string url) => url.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase)
    ? new SqliteStorage(StorageUrl.Parse(url))
    : StorageUrl.Parse(url).Open();

static int Usage(string problem)
{
    Console.Error.WriteLine($"error: {problem}");
    Console.Error.WriteLine(
        "usage: TuneMLNet --data FILE.csv[.gz] [--label COLUMN] [--task binary|multiclass|regression] [--metric auc|accuracy|logloss|f1|macro-accuracy|rmse|mae|r2]\n" +
        "                 [--trials N] [--trainers A,B] [--validation stratified:5|kfold:5|repeated:5:2|holdout:0.2|time:5] [--test-fraction 0.2]\n" +
        "                 [--seed S] [--timeout SECONDS] [--parallelism N] [--ignore COL,COL] [--out DIR]\n" +
        "                 [--storage sqlite:///hone.db --study NAME]   (a named study is resumed when it exists)");
    return 2;
}

internal sealed class ConsoleProgress : IProgress<TuneProgress>
{
    public void Report(TuneProgress p)
    {
        var value = p.Value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "";
        var best = p.BestValue is { } b ? b.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
        var state = p.State == TrialState.Pruned ? $"pruned after {p.FoldsRun} fold{(p.FoldsRun == 1 ? "" : "s")}" : p.State.ToString().ToLowerInvariant();
        Console.WriteLine($"trial {p.TrialNumber,3} ({p.TrialsPlanned} planned)  {p.Trainer,-24} {state,-22} {value,8}   best {best}   {p.Elapsed.TotalSeconds,6:0.0} s{(p.FailReason is { } r ? "   " + r : "")}");
    }
}
