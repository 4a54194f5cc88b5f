using System.Globalization;
using System.Text;
using Hone.Bench.Results;

namespace Hone.Bench.RealProblems;

/// <summary>
/// The Bayesmark-style score of a set of runs. Per problem, the optimum is the best loss seen by any run (or random
/// configuration) of the set and the clip is the median loss of the problem's random configurations (when a problem
/// has none on file: of every trial of the random-sampler runs). A run's normalized regret after t trials is
/// clamp((best_t − optimum) / (clip − optimum), 0, 1), 0 when clip = optimum and 1 before any trial completed;
/// a sampler's score at t is 100 × (1 − the mean over problems of the mean over seeds).
/// </summary>
internal sealed class RealScore
{
    private readonly Dictionary<string, (double Optimum, double Clip, string ClipSource)> _scale = new(StringComparer.Ordinal);

    public RealScore(IReadOnlyList<RealRunRecord> records, IReadOnlyDictionary<string, IReadOnlyList<double>> randomLosses, IReadOnlyList<int> budgets)
    {
        Records = Deduplicate(records);
        Budgets = budgets;
        foreach (var group in Records.GroupBy(r => r.Problem, StringComparer.Ordinal))
        {
            var seen = group.SelectMany(r => r.Losses).OfType<double>().ToList();
            string source;
            double clip;
            if (randomLosses.TryGetValue(group.Key, out var random) && random.Count > 0)
            {
                seen.AddRange(random);
                clip = Stats.Median(random);
                source = $"{random.Count} random configs";
            }
            else
            {
                var randomRuns = group.Where(r => r.Sampler == "random").SelectMany(r => r.Losses).OfType<double>().ToList();
                clip = randomRuns.Count > 0 ? Stats.Median(randomRuns) : double.NaN;
                source = randomRuns.Count > 0 ? $"{randomRuns.Count} random-sampler trials" : "none";
            }

            _scale[group.Key] = (seen.Count > 0 ? seen.Min() : double.NaN, clip, source);
        }
    }

    public IReadOnlyList<RealRunRecord> Records { get; }

    public IReadOnlyList<int> Budgets { get; }

    /// <summary>The problems in the order they first appear.</summary>
    public IReadOnlyList<string> Problems => [.. Records.Select(r => r.Problem).Distinct(StringComparer.Ordinal)];

    /// <summary>"side:sampler" names, Hone first, in the order they first appear.</summary>
    public IReadOnlyList<string> Samplers => [.. Records.OrderBy(r => r.Side == "hone" ? 0 : 1).Select(r => r.Key).Distinct(StringComparer.Ordinal)];

    public (double Optimum, double Clip, string ClipSource) Scale(string problem) => _scale[problem];

    /// <summary>The normalized regret of one run after <paramref name="trials"/> trials (null past its budget).</summary>
    public double? Regret(RealRunRecord run, int trials)
    {
        if (trials > run.Losses.Count)
        {
            return null;
        }

        var (optimum, clip, _) = _scale[run.Problem];
        if (run.BestAfter(trials) is not { } best || double.IsNaN(clip))
        {
            return 1;
        }

        return clip <= optimum ? 0 : Math.Clamp((best - optimum) / (clip - optimum), 0, 1);
    }

    /// <summary>The mean normalized regret over seeds of one sampler on one problem; null without runs that long.</summary>
    public double? MeanRegret(string sampler, string problem, int trials)
    {
        var values = Records.Where(r => r.Key == sampler && r.Problem == problem).Select(r => Regret(r, trials)).OfType<double>().ToList();
        return values.Count > 0 ? values.Average() : null;
    }

    /// <summary>100 × (1 − mean over problems of the mean regret), over the problems the sampler has runs for.</summary>
    public (double? Score, int Problems) Score(string sampler, int trials)
    {
        var means = Problems.Select(p => MeanRegret(sampler, p, trials)).OfType<double>().ToList();
        return means.Count > 0 ? (100 * (1 - means.Average()), means.Count) : (null, 0);
    }

    /// <summary>
    /// Paired comparison of <paramref name="a"/> with <paramref name="b"/> over the (problem, seed) pairs both ran:
    /// wins, losses and ties of a (lower regret wins), and the one-sided p-values of "a is better" by the Wilcoxon
    /// signed-rank and the sign test.
    /// </summary>
    public (int Pairs, int Wins, int Losses, int Ties, double Wilcoxon, double Sign) Compare(string a, string b, int trials)
    {
        var bRuns = Records.Where(r => r.Key == b).ToDictionary(r => (r.Problem, r.Seed));
        var differences = new List<double>();
        foreach (var run in Records.Where(r => r.Key == a))
        {
            if (bRuns.TryGetValue((run.Problem, run.Seed), out var other) && Regret(run, trials) is { } x && Regret(other, trials) is { } y)
            {
                differences.Add(x - y);
            }
        }

        var wins = differences.Count(d => d < 0);
        var losses = differences.Count(d => d > 0);
        return (differences.Count, wins, losses, differences.Count - wins - losses,
            Stats.WilcoxonSignedRankLess(differences), Stats.SignTestGreater(wins, losses));
    }

    /// <summary>The report: scores, per-problem regrets, the problems' scales and the requested comparisons.</summary>
    public string ToMarkdown(IReadOnlyList<(string A, string B)> comparisons)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        var seeds = Records.Select(r => r.Seed).Distinct().Count();
        sb.AppendLine(inv, $"### Real tuning problems: score = 100 × (1 − mean normalized regret) ({Problems.Count} problems, up to {seeds} seeds)");
        sb.AppendLine();
        sb.AppendLine("| sampler | problems | runs | " + string.Join(" | ", Budgets.Select(b => $"{b} trials")) + " |");
        sb.AppendLine("|---|---:|---:|" + string.Concat(Budgets.Select(_ => "---:|")));
        foreach (var s in Samplers)
        {
            var runs = Records.Count(r => r.Key == s);
            var cells = Budgets.Select(b => Score(s, b)).ToList();
            var problems = cells.Max(c => c.Problems);
            sb.AppendLine(FormattableString.Invariant($"| {s} | {problems} | {runs} | ") + string.Join(" | ", cells.Select(c => c.Score is { } v ? Format.Number(v, "0.0") : "—")) + " |");
        }

        foreach (var b in Budgets)
        {
            sb.AppendLine();
            sb.AppendLine(inv, $"Mean normalized regret per problem after {b} trials (lower is better):");
            sb.AppendLine();
            sb.AppendLine("| problem | " + string.Join(" | ", Samplers) + " |");
            sb.AppendLine("|---|" + string.Concat(Samplers.Select(_ => "---:|")));
            foreach (var p in Problems)
            {
                sb.AppendLine($"| {p} | " + string.Join(" | ", Samplers.Select(s => MeanRegret(s, p, b) is { } v ? Format.Number(v, "0.000") : "—")) + " |");
            }
        }

        sb.AppendLine();
        sb.AppendLine("Scale per problem (optimum = best loss seen by any run or random configuration; clip = median random loss):");
        sb.AppendLine();
        sb.AppendLine("| problem | optimum | clip | clip from | eval s (median run) |");
        sb.AppendLine("|---|---:|---:|---|---:|");
        foreach (var p in Problems)
        {
            var (optimum, clip, source) = _scale[p];
            var perEval = Records.Where(r => r.Problem == p && r.EvalSeconds > 0).Select(r => r.EvalSeconds / r.Losses.Count).ToList();
            sb.AppendLine(inv, $"| {p} | {optimum:G5} | {clip:G5} | {source} | {(perEval.Count > 0 ? Format.Number(Stats.Median(perEval), "0.000") : "—")} |");
        }

        foreach (var (a, b) in comparisons)
        {
            sb.AppendLine();
            sb.AppendLine(inv, $"Paired comparison {a} vs {b} over (problem, seed) pairs; one-sided p-values of \"{a} is better\":");
            sb.AppendLine();
            sb.AppendLine("| trials | pairs | score " + a + " | score " + b + " | difference | wins | losses | ties | Wilcoxon p | sign p |");
            sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var t in Budgets)
            {
                var c = Compare(a, b, t);
                var sa = Score(a, t).Score;
                var sbScore = Score(b, t).Score;
                sb.AppendLine(inv,
                    $"| {t} | {c.Pairs} | {Num(sa)} | {Num(sbScore)} | {(sa is { } x && sbScore is { } y ? Format.Number(x - y, "+0.0;-0.0;0.0") : "—")} | " +
                    $"{c.Wins} | {c.Losses} | {c.Ties} | {P(c.Wilcoxon)} | {P(c.Sign)} |");
            }
        }

        return sb.ToString();
    }

    private static string Num(double? v) => v is { } x ? Format.Number(x, "0.0") : "—";

    private static string P(double p) => double.IsNaN(p) ? "—" : p < 1e-4 ? p.ToString("0.0e0", CultureInfo.InvariantCulture) : Format.Number(p, "0.0000");

    /// <summary>One run per (side, sampler, problem, seed): a later record replaces an earlier one (a rerun).</summary>
    private static List<RealRunRecord> Deduplicate(IReadOnlyList<RealRunRecord> records)
    {
        var latest = new Dictionary<(string, string, long), int>();
        for (var i = 0; i < records.Count; i++)
        {
            latest[(records[i].Key, records[i].Problem, records[i].Seed)] = i;
        }

        return [.. latest.Values.Order().Select(i => records[i])];
    }
}
