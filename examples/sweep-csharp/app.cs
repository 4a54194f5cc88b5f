// A C# file-based program tuned by `hone optimize sweep.yaml` (run on its own with: dotnet run app.cs -- 0.1 32).
// It "trains" for 30 epochs, reporting the validation accuracy after each with a `hone:report` line, so the
// pruner stops unpromising runs early (their trials end Pruned), then prints its result as a JSON line.
using System.Globalization;

var learningRate = double.Parse(args[0], CultureInfo.InvariantCulture);
var batchSize = int.Parse(args[1], CultureInfo.InvariantCulture);
var schedule = Environment.GetEnvironmentVariable("HONE_PARAM_SCHEDULE") ?? "constant";

// A made-up learning curve: the best runs have lr near 0.05 and batch size near 64.
var ceiling = 0.95 - (0.08 * Math.Pow(Math.Log10(learningRate / 0.05), 2)) - (0.02 * Math.Pow(Math.Log2(batchSize / 64.0), 2));
var speed = schedule == "cosine" ? 0.25 : 0.18;
var accuracy = 0.1;
for (var epoch = 0; epoch < 30; epoch++)
{
    accuracy += (ceiling - accuracy) * speed;
    Console.WriteLine(FormattableString.Invariant($"hone:report step={epoch} value={accuracy:F6}"));
    Thread.Sleep(20); // the time an epoch takes
}

Console.WriteLine(FormattableString.Invariant($"{{\"accuracy\": {accuracy:R}}}"));
