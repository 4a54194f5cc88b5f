using System.Text;
using Hone.Bench.Problems;

namespace Hone.Bench.Results;

/// <summary>
/// The median regret after each checkpoint (25, 50, 100, 200 trials) of every (framework, sampler,
/// function) in a set of run records, and the Markdown tables that show it.
/// </summary>
internal sealed class RegretSummary
{
    private readonly Dictionary<(string Framework, string Sampler, string Function), Cell> _cells = [];

    public RegretSummary(IEnumerable<RunRecord> records, IReadOnlyList<int> checkpoints)
    {
        Checkpoints = checkpoints;
        foreach (var group in records.GroupBy(r => (r.Framework, r.Sampler, r.Function)))
        {
            var runs = group.ToList();
            var regrets = checkpoints
                .Select(c => runs.Any(r => r.RegretAfter(c) is null) ? null : runs.Select(r => r.RegretAfter(c)!.Value).ToArray())
                .ToArray();
            _cells[group.Key] = new Cell(runs.Count, regrets);
        }
    }

    public IReadOnlyList<int> Checkpoints { get; }

    /// <summary>Function names in the order of the suite (others after them, by name).</summary>
    public IReadOnlyList<string> Functions => _cells.Keys.Select(k => k.Function).Distinct()
        .OrderBy(f => ProblemCatalog.IndexOf(f))
        .ThenBy(f => f, StringComparer.Ordinal)
        .ToList();

    public IReadOnlyList<(string Framework, string Sampler)> Samplers =>
        _cells.Keys.Select(k => (k.Framework, k.Sampler)).Distinct().ToList();

    public double? Median(string framework, string sampler, string function, int checkpoint) =>
        Regrets(framework, sampler, function, checkpoint) is { } r ? Stats.Median(r) : null;

    /// <summary>The regret of every run (seed) after <paramref name="checkpoint"/> trials, or null if some run is shorter.</summary>
    public IReadOnlyList<double>? Regrets(string framework, string sampler, string function, int checkpoint) =>
        _cells.TryGetValue((framework, sampler, function), out var cell) ? cell.Regrets[IndexOf(checkpoint)] : null;

    public int Seeds(string framework, string sampler, string function) =>
        _cells.TryGetValue((framework, sampler, function), out var cell) ? cell.Runs : 0;

    /// <summary>One table per checkpoint set: rows function × sampler, columns the checkpoints.</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.Append("| function | sampler | seeds | ");
        sb.AppendJoin(" | ", Checkpoints.Select(c => $"regret @{c}"));
        sb.AppendLine(" |");
        sb.Append("|---|---|---:|");
        sb.AppendJoin("", Checkpoints.Select(_ => "---:|"));
        sb.AppendLine();
        foreach (var function in Functions)
        {
            foreach (var (framework, sampler) in Samplers)
            {
                var seeds = Seeds(framework, sampler, function);
                if (seeds == 0)
                {
                    continue;
                }

                sb.Append($"| {function} | {framework}:{sampler} | {seeds} | ");
                sb.AppendJoin(" | ", Checkpoints.Select(c => Format.Regret(Median(framework, sampler, function, c))));
                sb.AppendLine(" |");
            }
        }

        return sb.ToString();
    }

    private int IndexOf(int checkpoint)
    {
        for (var i = 0; i < Checkpoints.Count; i++)
        {
            if (Checkpoints[i] == checkpoint)
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(checkpoint), checkpoint, "Not a checkpoint of this summary.");
    }

    private sealed record Cell(int Runs, double[]?[] Regrets);
}
