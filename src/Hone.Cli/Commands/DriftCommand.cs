using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Hone.MLNet.Data;
using Hone.MLNet.Statistics;

namespace Hone.Cli.Commands;

/// <summary>
/// <c>hone drift --reference OLD.csv --data NEW.csv</c>: has the data moved since a model was tuned? Each shared column is
/// tested (<see cref="DistributionShift"/>); the exit code says whether any moved, so that a scheduled job can re-tune
/// (<c>hone tune --warm-start</c>) only then.
/// </summary>
internal static class DriftCommand
{
    public static void Add(RootCommand root, CliContext context)
    {
        var reference = new Option<string>("--reference") { Description = "The CSV file the model was tuned on.", Required = true };
        var data = new Option<string>("--data") { Description = "The new CSV file.", Required = true };
        var ignore = new Option<string?>("--ignore") { Description = "Columns not to test, comma-separated (ids, timestamps)." };
        var alpha = CommandLineValues.Fraction("--alpha", 0.0000001, 1, 0.05, "Significance level after Holm's correction over all the columns tested.");
        var format = new Option<string>("--format") { Description = "table or json.", DefaultValueFactory = _ => "table" };
        var drift = new Command("drift", "Test whether each column of new data is distributed as in the data a model was tuned on (KS / chi-squared, Holm-corrected); exit 5 when one has shifted.")
        {
            reference, data, ignore, alpha, format,
        };
        drift.SetAction(parse =>
        {
            var how = parse.GetValue(format)!;
            if (how is not ("table" or "json"))
            {
                throw new UsageException($"--format {how}: use table or json");
            }

            var old = Load(parse.GetValue(reference)!, "--reference");
            var now = Load(parse.GetValue(data)!, "--data");
            var skipped = parse.GetValue(ignore)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
            foreach (var name in skipped)
            {
                if (!old.ColumnNames.Contains(name) && !now.ColumnNames.Contains(name))
                {
                    throw new UsageException($"--ignore: neither file has a column \"{name}\"; the columns are {string.Join(", ", old.ColumnNames.Union(now.ColumnNames))}");
                }
            }

            var shared = old.ColumnNames.Intersect(now.ColumnNames).Except(skipped).ToList();
            if (shared.Count == 0)
            {
                throw new UsageException($"--reference and --data share no column to test; --reference has {string.Join(", ", old.ColumnNames)}, --data has {string.Join(", ", now.ColumnNames)}");
            }

            var shifts = DistributionShift.Compare(
                shared.ToDictionary(c => c, c => old.Cells(c)),
                shared.ToDictionary(c => c, c => now.Cells(c)),
                parse.GetValue(alpha));
            var o = context.Output;
            if (how == "json")
            {
                o.WriteLine(JsonSerializer.Serialize(new
                {
                    reference = old.Source,
                    data = now.Source,
                    alpha = parse.GetValue(alpha),
                    shifted = shifts.Any(s => s.Shifted),
                    columns = shifts.Select(s => new
                    {
                        column = s.Column, test = s.Test, statistic = s.Statistic, p_value = s.PValue, adjusted_p_value = s.AdjustedPValue,
                        shifted = s.Shifted, reference_count = s.ReferenceCount, data_count = s.CurrentCount,
                    }),
                }));
            }
            else
            {
                WriteTable(o, $"{now.Source} ({now.RowCount} rows) against {old.Source} ({old.RowCount} rows)", shifts, parse.GetValue(alpha));
            }

            return shifts.Any(s => s.Shifted) ? ExitCodes.Shifted : ExitCodes.Ok;
        });
        root.Add(drift);
    }

    /// <summary>The shift table: a heading, one line per column (most significant first), and how many have shifted.</summary>
    public static void WriteTable(TextWriter o, string heading, IReadOnlyList<ColumnShift> shifts, double alpha)
    {
        o.WriteLine($"{heading}: {shifts.Count} columns tested, Holm-corrected at {alpha.ToString(CultureInfo.InvariantCulture)}");
        o.WriteLine($"  {"column",-24} {"test",-5} {"statistic",10} {"p",10} {"adjusted p",11}");
        foreach (var s in shifts)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {s.Column,-24} {s.Test,-5} {s.Statistic,10:0.0000} {s.PValue,10:0.####e+0} {s.AdjustedPValue,11:0.####e+0}{(s.Shifted ? "  shifted" : string.Empty)}"));
        }

        var moved = shifts.Count(s => s.Shifted);
        o.WriteLine(moved == 0 ? "no column has shifted" : $"{moved} column(s) have shifted");
    }

    internal static TabularData Load(string path, string flag)
    {
        if (!File.Exists(path))
        {
            throw new NotFoundException($"{flag}: file \"{path}\" does not exist (looked for {Path.GetFullPath(path)})");
        }

        try
        {
            return TabularData.LoadCsv(path);
        }
        catch (FormatException e)
        {
            throw new UsageException($"{flag}: {e.Message}", e);
        }
    }
}
