using System.Globalization;
using System.IO.Compression;

namespace PbtDotnet;

/// <summary>The bundled digits data (8×8 images, 10 classes), split once into train, validation and test sets.</summary>
internal sealed class Digits
{
    private Digits(double[][] x, int[] y, int[] train, int[] validation, int[] test)
    {
        X = x;
        Y = y;
        Train = train;
        Validation = validation;
        Test = test;
    }

    public double[][] X { get; }

    public int[] Y { get; }

    public int[] Train { get; }

    public int[] Validation { get; }

    public int[] Test { get; }

    public static Digits Load(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var xs = new List<double[]>();
        var ys = new List<int>();
        while (reader.ReadLine() is { } line)
        {
            var cells = line.Split(',');
            xs.Add([.. cells[..^1].Select(c => double.Parse(c, CultureInfo.InvariantCulture) / 16.0)]);
            ys.Add(int.Parse(cells[^1], CultureInfo.InvariantCulture));
        }

        // One fixed split for every method and seed: 60% train, 20% validation (what tuning sees), 20% test.
        var order = Enumerable.Range(0, xs.Count).ToArray();
        new Random(2024).Shuffle(order);
        var nTrain = xs.Count * 6 / 10;
        var nValid = xs.Count * 2 / 10;
        return new Digits([.. xs], [.. ys], order[..nTrain], order[nTrain..(nTrain + nValid)], order[(nTrain + nValid)..]);
    }

    /// <summary>Finds data/digits.csv.gz from the current folder or one of its parents.</summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "digits.csv.gz");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("data/digits.csv.gz not found in this folder or any parent; run from the Hone repository.");
    }
}
