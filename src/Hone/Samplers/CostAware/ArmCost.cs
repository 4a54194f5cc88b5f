namespace Hone.Samplers.CostAware;

/// <summary>
/// What one arm has cost and achieved so far, in the order its trials were numbered, and its estimated cost for
/// improvement (ECI) as FLAML defines it (Wang, Wu, Weimer and Zhu 2021, "FLAML: A Fast and Lightweight AutoML
/// Library", section 4.2).
/// </summary>
internal sealed class ArmCost
{
    /// <summary>Total cost spent on the arm (K0).</summary>
    public double Spent { get; private set; }

    /// <summary>Cost spent when the arm's best loss was found (K1).</summary>
    public double SpentAtBest { get; private set; }

    /// <summary>Cost spent when the arm's previous best loss was found (K2).</summary>
    public double SpentAtPreviousBest { get; private set; }

    /// <summary>The cost of the trial that found the arm's best loss (k0).</summary>
    public double BestTrialCost { get; private set; }

    /// <summary>The arm's best loss (lower is better), or null when no trial of it completed.</summary>
    public double? Best { get; private set; }

    /// <summary>The best loss before <see cref="Best"/>, or null.</summary>
    public double? PreviousBest { get; private set; }

    /// <summary>How many finished trials the arm has.</summary>
    public int Trials { get; private set; }

    /// <summary>Adds one finished trial: its cost, and its loss when it completed.</summary>
    public void Add(double cost, double? loss)
    {
        Trials++;
        Spent += cost;
        if (loss is { } l && (Best is null || l < Best))
        {
            PreviousBest = Best;
            SpentAtPreviousBest = SpentAtBest;
            Best = l;
            SpentAtBest = Spent;
            BestTrialCost = cost;
        }
    }

    /// <summary>
    /// The estimated cost for this arm to improve on the study's best loss: the larger of the cost spent since its
    /// last improvement, the cost between its last two improvements, and twice the cost of its best trial (a next
    /// step of cost-frugal search may double the cost); and, for an arm behind the best, the cost to close the gap
    /// at the arm's observed rate of improvement.
    /// </summary>
    /// <param name="studyBest">The best loss over all arms.</param>
    /// <param name="worstLoss">The worst loss in the study, the baseline an arm's first result improved on.</param>
    public double ImprovementCost(double studyBest, double worstLoss)
    {
        var eci = Math.Max(Math.Max(Spent - SpentAtBest, SpentAtBest - SpentAtPreviousBest), 2 * BestTrialCost);
        if (Best is not { } best)
        {
            // Trials ran but none completed (pruned or failed): all of it was spent without a result.
            return Math.Max(eci, 2 * Spent);
        }

        var gap = best - studyBest;
        if (gap <= 0)
        {
            return eci;
        }

        var improved = (PreviousBest ?? worstLoss) - best;
        var during = SpentAtBest - SpentAtPreviousBest;
        return improved > 0 && during > 0 ? Math.Max(eci, gap / (improved / during)) : Math.Max(eci, 2 * Spent);
    }
}
