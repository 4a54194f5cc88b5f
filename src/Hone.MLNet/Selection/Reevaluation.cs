using System.Diagnostics;
using System.Globalization;
using Hone.MLNet.Statistics;
using Hone.MLNet.Tuning;
using Hone.MLNet.Validation;
using Hone.Studies;
using Hone.Trials;

namespace Hone.MLNet.Selection;

/// <summary>
/// Races the best configurations of a finished single-objective study on fresh splits of the tuning rows and picks
/// the winner on those (see <see cref="ReevaluationResult"/> for the method and its sources).
/// </summary>
internal static class Reevaluation
{
    /// <summary>The trial user attribute with a raced trial's fresh fold scores, mean and status.</summary>
    public const string TrialAttr = "reevaluation";

    /// <summary>The study user attribute with the race's summary.</summary>
    public const string StudyAttr = "hone.reevaluation";

    /// <summary>One configuration entering the race.</summary>
    internal sealed record Candidate(int TrialNumber, string Trainer, double TunedValue);

    /// <summary>
    /// Re-evaluates the top configurations of <paramref name="study"/> when the options ask for it, records the scores as
    /// trial and study user attributes, and returns the race, or null with the reason it did not run.
    /// </summary>
    public static (ReevaluationResult? Result, string? Skipped) Run(
        Study study, TuneOptions options, ValidationStrategy validation, IReadOnlyList<int> tuningRows, IReadOnlyList<double> labels, bool classification,
        TuneSeeds seeds, int foldsPerTrial, Func<FrozenTrial, Fold, CancellationToken, double> score, Func<FrozenTrial, double?> trialCpuSeconds,
        CancellationToken cancellationToken)
    {
        var top = ReevaluationDefaults.TopFor(options.ReevaluateTop, tuningRows.Count);
        if (options.SecondObjective != SecondObjective.None)
        {
            return (null, "not used with a second objective (the trade-off is chosen from the Pareto set)");
        }

        if (top == 0)
        {
            return (null, options.ReevaluateTop is null
                ? string.Create(CultureInfo.InvariantCulture, $"off: {tuningRows.Count} tuning rows, above the {ReevaluationDefaults.AutomaticMaxRows:N0} at which it is on by default (ReevaluateTop; --reevaluate K in hone tune)")
                : "off (ReevaluateTop = 0; --reevaluate 0 in hone tune)");
        }

        if (validation.KeepsOrder)
        {
            return (null, "not used with time-ordered validation (its folds have no shuffle to redraw)");
        }

        var direction = study.Directions[0];
        var trials = TopDistinct(study.GetTrials(TrialState.Complete), direction, top);
        if (trials.Count == 0)
        {
            return (null, "no complete feasible trial to re-evaluate");
        }

        var ranked = trials.Count;
        if (options.ReevaluateTop is null)
        {
            trials = WithinBudget(trials, study.GetTrials(TrialState.Complete, TrialState.Pruned, TrialState.Fail).Sum(t => trialCpuSeconds(t) ?? 0),
                options.ReevaluationRepeats, trialCpuSeconds);
        }

        var candidates = trials.Select(t => new Candidate(t.Number, TrainerName(t), t.Values![0])).ToList();
        var foldSeeds = Enumerable.Range(1, options.ReevaluationRepeats).Select(r => unchecked(seeds.Folds + (ReevaluationDefaults.SeedStride * r))).ToArray();
        var byNumber = trials.ToDictionary(t => t.Number);
        var result = Race(
            candidates, trials.Count < ranked ? trials.Count : top, foldSeeds, seed => validation.Split(tuningRows, labels, classification, seed),
            (c, fold, ct) => score(byNumber[candidates[c].TrialNumber], fold, ct),
            direction, foldsPerTrial, options.Parallelism, seeds.Bootstrap, options.ReevaluationProgress, cancellationToken);
        Record(study, result);
        return (result, null);
    }

    /// <summary>
    /// The candidates whose estimated re-evaluation cost (their trial's CPU seconds × <paramref name="repeats"/>) fits, in
    /// rank order, within <see cref="ReevaluationDefaults.MaxCostShare"/> of the tuning's CPU seconds; the first is kept whatever it costs.
    /// </summary>
    public static List<FrozenTrial> WithinBudget(List<FrozenTrial> ranked, double tuningCpuSeconds, int repeats, Func<FrozenTrial, double?> trialCpuSeconds)
    {
        var budget = ReevaluationDefaults.MaxCostShare * tuningCpuSeconds;
        var kept = new List<FrozenTrial>();
        var spent = 0.0;
        foreach (var trial in ranked)
        {
            var cost = (trialCpuSeconds(trial) ?? 0) * repeats;
            if (kept.Count == 0 || spent + cost <= budget)
            {
                kept.Add(trial);
                spent += cost;
            }
        }

        return kept;
    }

    /// <summary>The <paramref name="k"/> best complete trials by their first value, one per distinct configuration (ties keep trial order).</summary>
    public static List<FrozenTrial> TopDistinct(IReadOnlyList<FrozenTrial> complete, StudyDirection direction, int k)
    {
        var ordered = complete.Where(t => t.Values is { Count: > 0 } v && double.IsFinite(v[0]) && t.IsFeasible).OrderBy(t => t.Number);
        var ranked = direction == StudyDirection.Maximize ? ordered.OrderByDescending(t => t.Values![0]) : ordered.OrderBy(t => t.Values![0]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<FrozenTrial>();
        foreach (var trial in ranked)
        {
            var key = string.Join('\u001f', trial.Params.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => p.Key + "=" + Convert.ToString(p.Value, CultureInfo.InvariantCulture)));
            if (seen.Add(key))
            {
                result.Add(trial);
                if (result.Count == k)
                {
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The race itself. Repeat r splits the rows with <paramref name="foldSeeds"/>[r − 1]; every configuration still in the
    /// race is scored on every fold of it (in parallel, up to <paramref name="parallelism"/> fits at once). A configuration
    /// whose fit fails or scores a non-finite value leaves the race. After each repeat but the last, each configuration is
    /// compared with the leader (the best mean over the fresh folds so far) by a paired t-test over those folds, and
    /// dropped when the leader is better with p below <see cref="ReevaluationDefaults.Alpha"/>.
    /// </summary>
    public static ReevaluationResult Race(
        IReadOnlyList<Candidate> candidates, int top, IReadOnlyList<int> foldSeeds, Func<int, IReadOnlyList<Fold>> split,
        Func<int, Fold, CancellationToken, double> score, StudyDirection direction, int foldsPerTrial, int parallelism, int bootstrapSeed,
        IProgress<ReevaluationProgress>? progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var maximize = direction == StudyDirection.Maximize;
        var n = candidates.Count;
        var scores = Enumerable.Range(0, n).Select(_ => new List<double>()).ToArray();
        var status = new ReevaluationStatus?[n];
        var eliminatedAfter = new int?[n];
        var failures = new string?[n];
        var fits = 0;
        var foldsPerRepeat = 0;
        int? leader = null;
        for (var repeat = 1; repeat <= foldSeeds.Count; repeat++)
        {
            var alive = Enumerable.Range(0, n).Where(c => status[c] is null).ToArray();
            if (alive.Length == 0)
            {
                break;
            }

            var folds = split(foldSeeds[repeat - 1]);
            foldsPerRepeat = folds.Count;
            var round = new double[alive.Length, folds.Count];
            var errors = new string?[alive.Length];
            try
            {
                ScoreRound();
            }
            catch (AggregateException) when (cancellationToken.IsCancellationRequested)
            {
            }

            cancellationToken.ThrowIfCancellationRequested();
            void ScoreRound() => Parallel.For(0, alive.Length * folds.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken }, job =>
            {
                var (a, f) = (job / folds.Count, job % folds.Count);
                try
                {
                    var value = score(alive[a], folds[f], cancellationToken);
                    round[a, f] = value;
                    if (!double.IsFinite(value))
                    {
                        errors[a] ??= $"scored {value.ToString(CultureInfo.InvariantCulture)} on fresh fold {f} of repeat {repeat}";
                    }
                }
                catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
                {
                    errors[a] ??= $"{e.GetType().Name}: {e.Message}";
                }
                finally
                {
                    Interlocked.Increment(ref fits);
                }
            });

            var dropped = new List<int>();
            for (var a = 0; a < alive.Length; a++)
            {
                var c = alive[a];
                if (errors[a] is { } error)
                {
                    status[c] = ReevaluationStatus.Failed;
                    failures[c] = error;
                    continue;
                }

                for (var f = 0; f < folds.Count; f++)
                {
                    scores[c].Add(round[a, f]);
                }
            }

            var racing = Enumerable.Range(0, n).Where(c => status[c] is null).ToList();
            leader = racing.Count == 0 ? null : racing.Aggregate((x, y) => Better(scores[y].Average(), scores[x].Average(), maximize) ? y : x);
            if (repeat < foldSeeds.Count && leader is { } l)
            {
                foreach (var c in racing.Where(c => c != l))
                {
                    var t = PairedTests.PairedT(scores[l], scores[c]);
                    if (Better(scores[l].Average(), scores[c].Average(), maximize) && t.PValue < ReevaluationDefaults.Alpha)
                    {
                        status[c] = ReevaluationStatus.Eliminated;
                        eliminatedAfter[c] = repeat;
                        dropped.Add(candidates[c].TrialNumber);
                    }
                }
            }

            progress?.Report(new ReevaluationProgress(
                repeat, foldSeeds.Count, Enumerable.Range(0, n).Count(c => status[c] is null), n, dropped,
                leader is { } w ? candidates[w].TrialNumber : null, leader is { } m ? scores[m].Average() : null, fits, watch.Elapsed));
        }

        var results = Enumerable.Range(0, n).Select(c => new ReevaluatedCandidate(
            candidates[c].TrialNumber, candidates[c].Trainer, c + 1, candidates[c].TunedValue, scores[c].ToArray(),
            scores[c].Count == 0 ? double.NaN : scores[c].Average(),
            status[c] ?? (c == leader ? ReevaluationStatus.Winner : ReevaluationStatus.Survived), eliminatedAfter[c], failures[c])).ToList();
        var (gap, low, high) = (double.NaN, double.NaN, double.NaN);
        if (n > 0 && scores[0].Count > 0)
        {
            var sign = maximize ? 1 : -1;
            var (meanLow, meanHigh) = Bootstrap.MeanInterval(scores[0], 0.95, Bootstrap.DefaultResamples, bootstrapSeed);
            gap = sign * (candidates[0].TunedValue - scores[0].Average());
            var ends = new[] { sign * (candidates[0].TunedValue - meanLow), sign * (candidates[0].TunedValue - meanHigh) };
            (low, high) = (ends.Min(), ends.Max());
        }

        return new ReevaluationResult
        {
            Top = top,
            Repeats = foldSeeds.Count,
            FoldsPerRepeat = foldsPerRepeat,
            FoldSeeds = foldSeeds.ToArray(),
            Candidates = results,
            WinnerTrialNumber = leader is { } winner ? candidates[winner].TrialNumber : null,
            TopTrialNumber = n > 0 ? candidates[0].TrialNumber : -1,
            Gap = gap,
            GapCiLow = low,
            GapCiHigh = high,
            GapFolds = n > 0 ? scores[0].Count : 0,
            Fits = fits,
            FoldsPerTrial = foldsPerTrial,
            Elapsed = watch.Elapsed,
        };
    }

    /// <summary>Writes each raced trial's fresh scores (user attribute <see cref="TrialAttr"/>) and the summary (study user attribute <see cref="StudyAttr"/>).</summary>
    private static void Record(Study study, ReevaluationResult result)
    {
        foreach (var c in result.Candidates)
        {
            study.SetTrialUserAttr(study.Trials[c.TrialNumber], TrialAttr, new Dictionary<string, object?>
            {
                ["fold_scores"] = c.FoldScores,
                ["mean"] = double.IsFinite(c.Mean) ? c.Mean : null,
                ["status"] = c.Status.ToString().ToLowerInvariant(),
                ["rank"] = c.Rank,
                ["eliminated_after_repeat"] = c.EliminatedAfterRepeat,
                ["fail_reason"] = c.FailReason,
                ["fold_seeds"] = result.FoldSeeds,
            });
        }

        study.SetUserAttr(StudyAttr, new Dictionary<string, object?>
        {
            ["top"] = result.Top,
            ["repeats"] = result.Repeats,
            ["folds_per_repeat"] = result.FoldsPerRepeat,
            ["fold_seeds"] = result.FoldSeeds,
            ["trials"] = result.Candidates.Select(c => c.TrialNumber).ToArray(),
            ["winner"] = result.WinnerTrialNumber,
            ["top_trial"] = result.TopTrialNumber,
            ["gap"] = double.IsFinite(result.Gap) ? result.Gap : null,
            ["gap_ci95"] = double.IsFinite(result.Gap) ? new[] { result.GapCiLow, result.GapCiHigh } : null,
            ["fits"] = result.Fits,
            ["seconds"] = Math.Round(result.Elapsed.TotalSeconds, 3),
        });
    }

    private static bool Better(double a, double b, bool maximize) => maximize ? a > b : a < b;

    private static string TrainerName(FrozenTrial trial) =>
        trial.UserAttrs.TryGetValue("trainer", out var t) && t.ValueKind == System.Text.Json.JsonValueKind.String ? t.GetString()! : "?";
}
