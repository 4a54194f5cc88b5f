using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Samplers;

/// <summary>
/// Visits every point of a finite define-by-run search space once: each suggestion picks a value whose
/// subtree (the parameters the objective asks for after it) still has unvisited points. When every
/// path has been tried, the optimize loop starts no more trials.
/// </summary>
/// <remarks>
/// Every parameter must be finite: integers, stepped floats or categoricals (a continuous float without a
/// step is an error), with at most <see cref="MaxValuesPerParameter"/> values each, because every suggestion
/// looks at each value of its parameter (a larger range is an error that says so: give it a larger step, or use
/// another sampler). The tree of visited paths is rebuilt from the study's trials, so a resumed study
/// continues where it stopped. Workers running in parallel may, at the very end, repeat a point whose
/// trial has not yet finished.
/// </remarks>
public sealed class BruteForceSampler : ISampler
{
    /// <summary>Creates the sampler.</summary>
    /// <param name="seed">The seed for choosing among unvisited values; null picks a random one.</param>
    public BruteForceSampler(long? seed = null)
    {
        Seed = seed ?? SeededRandom.NewSeed();
    }

    /// <summary>The most values one parameter may have (1,000,000): each suggestion looks at every value of its parameter.</summary>
    public const long MaxValuesPerParameter = 1_000_000;

    /// <summary>The seed in use.</summary>
    public long Seed { get; }

    /// <summary>Says why brute force cannot enumerate a parameter, or null if it can.</summary>
    /// <param name="name">The parameter's name, for the message.</param>
    /// <param name="distribution">Its distribution.</param>
    public static string? Problem(string name, Distribution distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        var count = DistributionSampling.Cardinality(distribution);
        if (count is null)
        {
            return $"BruteForceSampler needs finite parameters, but \"{name}\" is {distribution}; give it a step, or use an int or categorical.";
        }

        return count > MaxValuesPerParameter
            ? $"BruteForceSampler can enumerate at most 1,000,000 values per parameter, but \"{name}\" ({distribution}) has {count}; " +
              "give it a larger step or a smaller range, or use another sampler (random, tpe, qmc)."
            : null;
    }

    /// <inheritdoc/>
    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(distribution);
        if (Problem(name, distribution) is { } problem)
        {
            throw new ArgumentException(problem, nameof(distribution));
        }

        var count = DistributionSampling.Cardinality(distribution)!.Value;

        var root = BuildTree(study, trial.TrialId, includeRunning: true);
        var node = root;
        foreach (var (param, value) in trial.InternalParams)
        {
            node = node.Child(param, value, trial.Distributions[param]);
        }

        node.Expand(name, distribution);
        var unvisited = new List<double>();
        var unfinished = new List<double>();
        for (long k = 0; k < count; k++)
        {
            var x = DistributionSampling.NthValue(distribution, k);
            if (!node.Children.TryGetValue(x, out var child))
            {
                unvisited.Add(x);
            }
            else if (!child.IsExhausted)
            {
                unfinished.Add(x);
            }
        }

        var pool = unvisited.Count > 0 ? unvisited : unfinished;
        var random = SeededRandom.ForTrial(Seed, trial.Number, name);
        return pool.Count > 0 ? pool[random.NextInt(pool.Count)] : DistributionSampling.NthValue(distribution, random.NextInt((int)Math.Min(count, int.MaxValue)));
    }

    /// <inheritdoc/>
    public bool IsExhausted(Study study)
    {
        ArgumentNullException.ThrowIfNull(study);
        var root = BuildTree(study, excludeTrialId: -1, includeRunning: false);
        return root.HasVisits && root.IsExhausted;
    }

    private static Node BuildTree(Study study, long excludeTrialId, bool includeRunning)
    {
        var root = new Node();
        foreach (var t in study.GetTrials(TrialState.Complete, TrialState.Pruned, TrialState.Fail, TrialState.Running))
        {
            if (t.TrialId == excludeTrialId || (t.State == TrialState.Running && !includeRunning))
            {
                continue;
            }

            root.HasVisits = true;
            var node = root;
            foreach (var (param, value) in t.InternalParams)
            {
                node = node.Child(param, value, t.Distributions[param]);
            }

            if (t.State == TrialState.Running)
            {
                node.InProgress = true;
            }
            else
            {
                node.IsLeaf = true;
            }
        }

        return root;
    }

    /// <summary>A node of the tree of visited paths: the parameter asked next and the values tried for it.</summary>
    private sealed class Node
    {
        public string? ParamName { get; private set; }

        public Distribution? Distribution { get; private set; }

        public Dictionary<double, Node> Children { get; } = [];

        public bool IsLeaf { get; set; }

        public bool InProgress { get; set; }

        public bool HasVisits { get; set; }

        /// <summary>Whether every path below has been visited (a leaf, or every value's subtree exhausted).</summary>
        public bool IsExhausted
        {
            get
            {
                if (IsLeaf && ParamName is null)
                {
                    return true;
                }

                if (ParamName is null || Distribution is null)
                {
                    return InProgress;
                }

                var count = DistributionSampling.Cardinality(Distribution);
                if (count is null || Children.Count < count)
                {
                    return false;
                }

                foreach (var child in Children.Values)
                {
                    if (!child.IsExhausted)
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        public void Expand(string name, Distribution distribution)
        {
            if (ParamName is not null && ParamName != name)
            {
                throw new InvalidOperationException(
                    $"BruteForceSampler: after the same earlier values, one trial asked for \"{ParamName}\" and another for \"{name}\"; " +
                    "the objective must be deterministic given its parameters.");
            }

            ParamName = name;
            Distribution = distribution;
        }

        public Node Child(string name, double value, Distribution distribution)
        {
            Expand(name, distribution);
            if (!Children.TryGetValue(value, out var child))
            {
                child = new Node();
                Children[value] = child;
            }

            return child;
        }
    }
}
