using System.Text;

namespace Hone.Bench.Results;

/// <summary>
/// Hone next to Optuna: median regrets of every sampler at the last checkpoint, then, for each sampler
/// both sides have under the same name, Hone, Optuna and the ratio Hone / Optuna (below 1: Hone found
/// better points) per function and checkpoint.
/// </summary>
internal static class ComparisonReport
{
    public const string Hone = "hone";
    public const string Optuna = "optuna";

    public static string ToMarkdown(RegretSummary summary)
    {
        var sb = new StringBuilder();
        var last = summary.Checkpoints[^1];
        var samplers = summary.Samplers;

        sb.AppendLine($"Median regret after {last} trials (lower is better):").AppendLine();
        sb.Append("| function | ").AppendJoin(" | ", samplers.Select(s => $"{s.Framework}:{s.Sampler}")).AppendLine(" |");
        sb.Append("|---|").AppendJoin("", samplers.Select(_ => "---:|")).AppendLine();
        foreach (var function in summary.Functions)
        {
            sb.Append($"| {function} | ")
                .AppendJoin(" | ", samplers.Select(s => Format.Regret(summary.Median(s.Framework, s.Sampler, function, last))))
                .AppendLine(" |");
        }

        var paired = samplers.Where(s => s.Framework == Hone).Select(s => s.Sampler)
            .Intersect(samplers.Where(s => s.Framework == Optuna).Select(s => s.Sampler))
            .ToList();
        if (paired.Count == 0)
        {
            return sb.ToString();
        }

        sb.AppendLine().AppendLine("Hone vs Optuna, same sampler: median regret and ratio Hone / Optuna (below 1: Hone better):").AppendLine();
        sb.Append("| function | trials | ")
            .AppendJoin(" | ", paired.Select(p => $"Hone {p} | Optuna {p} | ratio"))
            .AppendLine(" |");
        sb.Append("|---|---:|").AppendJoin("", paired.Select(_ => "---:|---:|---:|")).AppendLine();
        foreach (var function in summary.Functions)
        {
            foreach (var checkpoint in summary.Checkpoints)
            {
                sb.Append($"| {function} | {checkpoint} | ");
                sb.AppendJoin(" | ", paired.Select(p =>
                {
                    var h = summary.Median(Hone, p, function, checkpoint);
                    var o = summary.Median(Optuna, p, function, checkpoint);
                    return $"{Format.Regret(h)} | {Format.Regret(o)} | {Format.Ratio(h, o)}";
                }));
                sb.AppendLine(" |");
            }
        }

        return sb.ToString();
    }
}
