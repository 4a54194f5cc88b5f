using System.Text;

namespace Hone.Bench.Results;

/// <summary>
/// Hone next to Optuna: median regrets of every sampler at the last checkpoint, then, for each sampler
/// both sides have under the same name, per function and checkpoint: Hone's and Optuna's median regret,
/// their ratio, the probability that a Hone run beats an Optuna run, and the Mann–Whitney p-value.
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
        foreach (var sampler in paired)
        {
            sb.AppendLine()
                .AppendLine($"Sampler `{sampler}`, Hone vs Optuna: median regret over seeds; ratio Hone / Optuna (below 1: Hone better); " +
                            "P(Hone better) = probability that a Hone run has lower regret than an Optuna run (0.5: no difference); " +
                            "p = two-sided Mann–Whitney p-value (* below 0.05).")
                .AppendLine();
            sb.AppendLine("| function | trials | Hone | Optuna | ratio | P(Hone better) | p |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var function in summary.Functions)
            {
                foreach (var checkpoint in summary.Checkpoints)
                {
                    var h = summary.Regrets(Hone, sampler, function, checkpoint);
                    var o = summary.Regrets(Optuna, sampler, function, checkpoint);
                    if (h is null || o is null)
                    {
                        continue;
                    }

                    var hm = Stats.Median(h);
                    var om = Stats.Median(o);
                    var (better, p) = Stats.MannWhitney(h, o);
                    sb.AppendLine($"| {function} | {checkpoint} | {Format.Regret(hm)} | {Format.Regret(om)} | {Format.Ratio(hm, om)} | " +
                                  $"{Format.Number(better)} | {Format.Number(p)}{(p < 0.05 ? "*" : "")} |");
                }
            }
        }

        return sb.ToString();
    }
}
