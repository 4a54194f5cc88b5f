using Hone.Distributions;
using Hone.Samplers;
using Hone.Samplers.Gp;
using Hone.Trials;

namespace Hone.Population;

/// <summary>
/// PB2's explore step (Parker-Holder, Nguyen and Roberts, "Provably Efficient Online Hyperparameter Optimization with
/// Population-Based Bandits", NeurIPS 2020, Algorithm 2): the new hyperparameters of a member that exploited maximise the
/// upper confidence bound of a Gaussian process of the score's improvement over a segment.
/// </summary>
/// <remarks>
/// <para><b>Data.</b> Every complete segment that started from a parent's checkpoint gives one point: the inputs are the
/// segment's start step (as a fraction of the training, the time input of the paper's time-varying bandit), its parent's
/// score (as in the authors' implementation, so the model knows that improving from a high score is harder) and its
/// numeric hyperparameters in the unit cube (log ones in log space); the output is the change of the score over the
/// segment (larger is better). The most recent <see cref="MaxData"/> points are kept.</para>
/// <para><b>Model.</b> Hone's GP (<see cref="GaussianProcess"/>, Matérn-5/2 with a length scale per input, fitted by
/// <see cref="MarginalLikelihood"/>): the step is one of the inputs, so its fitted length scale sets how fast old data
/// is forgotten, in place of the paper's (1 − ε)^{|t − t'|/2} factor.</para>
/// <para><b>Acquisition.</b> UCB at the exploiting member's start step and starting score, over the hyperparameters.
/// The members training now are pending points (GP-BUCB, Desautels, Krause and Burdick 2014, which PB2 uses for its
/// parallel members): the GP conditions on them at its own mean, which leaves the mean as it is and shrinks the variance
/// around them, so concurrent explores are sent to different places.</para>
/// </remarks>
internal static class Pb2Explorer
{
    /// <summary>The most recent segments the GP is fitted to.</summary>
    internal const int MaxData = 128;

    /// <summary>The scale of GP-UCB's β (see <see cref="UpperConfidenceBound.KappaFor"/>).</summary>
    internal const double BetaScale = 0.05;

    private const string StepName = "\u0001pb2:step";
    private const string ScoreName = "\u0001pb2:score";
    private const int Candidates = 256;
    private const int LocalSearches = 3;

    /// <summary>A member training now: its trial and the score it started from, if known.</summary>
    internal readonly record struct Pending(FrozenTrial Trial, int Generation, double? StartScore);

    /// <summary>New internal values for the parameters of <paramref name="donor"/>, for a segment of generation <paramref name="generation"/> starting from it.</summary>
    /// <param name="trials">The study's trials.</param>
    /// <param name="donor">The segment whose checkpoint and hyperparameters are copied.</param>
    /// <param name="generation">The new segment's generation.</param>
    /// <param name="running">The members training now.</param>
    /// <param name="maximize">Whether a larger score is better.</param>
    /// <param name="options">The settings.</param>
    /// <param name="rng">The random source.</param>
    public static Dictionary<string, double> Explore(
        IReadOnlyList<FrozenTrial> trials, FrozenTrial donor, int generation, IReadOnlyList<Pending> running, bool maximize, PbtOptions options, Random rng)
    {
        var result = new Dictionary<string, double>(donor.InternalParams);
        var dims = new SortedDictionary<string, Distribution>(StringComparer.Ordinal)
        {
            [StepName] = new FloatDistribution(0, 1),
            [ScoreName] = new FloatDistribution(0, 1),
        };
        foreach (var (name, x) in donor.InternalParams)
        {
            var distribution = donor.Distributions[name];
            if (distribution.IsSingle || (options.Mutations is { } only && !only.Contains(name)))
            {
                continue;
            }

            if (distribution is CategoricalDistribution)
            {
                if (rng.NextDouble() < options.ResampleProbability)
                {
                    result[name] = DistributionSampling.FromUnit(distribution, rng.NextDouble());
                }
            }
            else
            {
                dims[name] = distribution;
            }
        }

        if (dims.Count == 2)
        {
            return result;
        }

        var space = new GpSearchSpace(dims);
        var proposal = donor.Values is { Count: 1 } values
            ? Propose(space, trials, donor, values[0], generation, running, maximize, options, rng)
            : null;
        for (var i = 0; i < space.Count; i++)
        {
            var name = space.Names[i];
            if (name is StepName or ScoreName)
            {
                continue;
            }

            result[name] = proposal is not null
                ? space.Decode(i, proposal[i])
                : rng.NextDouble() < options.ResampleProbability
                    ? DistributionSampling.FromUnit(space.Distributions[i], rng.NextDouble())
                    : PbtExplorer.Perturb(space.Distributions[i], donor.InternalParams[name], options.PerturbFactors[rng.Next(options.PerturbFactors.Count)], rng);
        }

        return result;
    }

    /// <summary>The UCB maximiser in the model's coordinates, or null when the data cannot support a model yet.</summary>
    private static double[]? Propose(
        GpSearchSpace space, IReadOnlyList<FrozenTrial> trials, FrozenTrial donor, double donorScore, int generation,
        IReadOnlyList<Pending> running, bool maximize, PbtOptions options, Random rng)
    {
        var d = space.Count;
        var step = Array.IndexOf(space.Names, StepName);
        var score = Array.IndexOf(space.Names, ScoreName);
        var rows = Data(space, trials, options, maximize);
        if (rows.Count < 2)
        {
            return null;
        }

        // Normalise the starting scores to [0, 1] over the data, the new point and the pending ones.
        var lo = Math.Min(donorScore, rows.Min(r => r.StartScore));
        var hi = Math.Max(donorScore, rows.Max(r => r.StartScore));
        foreach (var p in running)
        {
            if (p.StartScore is { } s && double.IsFinite(s))
            {
                lo = Math.Min(lo, s);
                hi = Math.Max(hi, s);
            }
        }

        double Scale(double s) => hi > lo ? (s - lo) / (hi - lo) : 0.5;
        var n = rows.Count;
        var x = new double[n * d];
        var y = new double[n];
        for (var r = 0; r < n; r++)
        {
            rows[r].Point.CopyTo(x, r * d);
            x[(r * d) + score] = Scale(rows[r].StartScore);
            y[r] = rows[r].Improvement;
        }

        if (!Standardize(y))
        {
            return null;
        }

        var categorical = new bool[d];
        var likelihood = new MarginalLikelihood(x, n, y, categorical, deterministic: false);
        var h = likelihood.Fit([likelihood.Default()], 100) ?? likelihood.Default();
        var gp = GaussianProcess.Create(h, categorical, x, n);
        if (gp is null)
        {
            return null;
        }

        gp.SetOutputs(y);
        gp = WithPending(gp, space, running, options, donorScore, Scale, y);

        var context = new double[d];
        context[step] = Progress(generation, options);
        context[score] = Scale(donorScore);
        var start = Encode(space, donor) ?? context;
        start[step] = context[step];
        start[score] = context[score];
        var candidates = new double[Candidates * d];
        for (var c = 0; c < Candidates; c++)
        {
            for (var i = 0; i < d; i++)
            {
                candidates[(c * d) + i] = i == step || i == score ? context[i] : space.Snap(i, rng.NextDouble());
            }
        }

        var fixedCoordinates = new bool[d];
        fixedCoordinates[step] = true;
        fixedCoordinates[score] = true;
        var ucb = new UpperConfidenceBound(UpperConfidenceBound.KappaFor(n, BetaScale));
        return new AcquisitionOptimizer(GpAcquisition.Of(gp, ucb, space.Count), space, fixedCoordinates).Maximize(candidates, Candidates, [start], LocalSearches);
    }

    /// <summary>A segment as a data point: its encoded inputs (the score coordinate is set by the caller), its starting score and its improvement.</summary>
    private readonly record struct Row(double[] Point, double StartScore, double Improvement, int Generation, int Number);

    /// <summary>The most recent complete segments that continued from a complete parent, encoded.</summary>
    private static List<Row> Data(GpSearchSpace space, IReadOnlyList<FrozenTrial> trials, PbtOptions options, bool maximize)
    {
        var complete = new Dictionary<int, FrozenTrial>();
        foreach (var t in trials)
        {
            if (t.State == TrialState.Complete && t.Values is { Count: 1 } && PbtAttributes.Claim(t) is not null)
            {
                complete[t.Number] = t;
            }
        }

        var step = Array.IndexOf(space.Names, StepName);
        var rows = new List<Row>();
        foreach (var t in complete.Values)
        {
            if (PbtAttributes.Int(t, PbtAttributes.ParentKey) is not { } parentNumber || !complete.TryGetValue(parentNumber, out var parent)
                || PbtAttributes.Claim(t) is not { } claim || Encode(space, t) is not { } point)
            {
                continue;
            }

            var before = parent.Values![0];
            var after = t.Values![0];
            if (!double.IsFinite(before) || !double.IsFinite(after))
            {
                continue;
            }

            point[step] = Progress(claim.Generation, options);
            rows.Add(new Row(point, before, maximize ? after - before : before - after, claim.Generation, t.Number));
        }

        rows.Sort((a, b) => a.Generation != b.Generation ? b.Generation.CompareTo(a.Generation) : b.Number.CompareTo(a.Number));
        if (rows.Count > MaxData)
        {
            rows.RemoveRange(MaxData, rows.Count - MaxData);
        }

        return rows;
    }

    /// <summary>
    /// Conditions on the members training now at the posterior mean (GP-BUCB): the mean stays, the variance shrinks
    /// around them. A member whose hyperparameters are not stored yet is left out.
    /// </summary>
    private static GaussianProcess WithPending(
        GaussianProcess gp, GpSearchSpace space, IReadOnlyList<Pending> running, PbtOptions options, double donorScore, Func<double, double> scale, double[] y)
    {
        if (running.Count == 0)
        {
            return gp;
        }

        var step = Array.IndexOf(space.Names, StepName);
        var score = Array.IndexOf(space.Names, ScoreName);
        var fantasy = gp.Clone(running.Count);
        var outputs = new List<double>(y);
        foreach (var p in running)
        {
            if (Encode(space, p.Trial) is not { } point)
            {
                continue;
            }

            point[step] = Progress(p.Generation, options);
            point[score] = scale(p.StartScore is { } s && double.IsFinite(s) ? s : donorScore);
            var mean = fantasy.Predict(point).Mean;
            if (fantasy.TryAdd(point))
            {
                outputs.Add(mean);
                fantasy.SetOutputs(outputs.ToArray());
            }
        }

        return fantasy;
    }

    /// <summary>The segment's hyperparameters in the model's coordinates (from its parameters, else its fixed ones); null if one is missing or differs in distribution.</summary>
    private static double[]? Encode(GpSearchSpace space, FrozenTrial t)
    {
        var fixedParams = t.SystemAttrs.TryGetValue(Studies.TrialLifecycle.FixedParamsKey, out var json) && json.ValueKind == System.Text.Json.JsonValueKind.Object ? json : (System.Text.Json.JsonElement?)null;
        var row = new double[space.Count];
        for (var i = 0; i < space.Count; i++)
        {
            var name = space.Names[i];
            if (name is StepName or ScoreName)
            {
                continue;
            }

            if (t.InternalParams.TryGetValue(name, out var v) && t.Distributions.TryGetValue(name, out var dist))
            {
                if (!dist.Equals(space.Distributions[i]))
                {
                    return null;
                }

                row[i] = space.Encode(i, v);
            }
            else if (fixedParams is { } f && f.TryGetProperty(name, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.Number)
            {
                var internalValue = value.GetDouble();
                if (!space.Distributions[i].Contains(internalValue))
                {
                    return null;
                }

                row[i] = space.Encode(i, internalValue);
            }
            else
            {
                return null;
            }
        }

        return row;
    }

    /// <summary>The training progress at the start of a generation, in [0, 1].</summary>
    private static double Progress(int generation, PbtOptions options) => Math.Clamp((double)generation / options.Generations, 0, 1);

    /// <summary>Standardises in place; false when all values are tied.</summary>
    private static bool Standardize(double[] y)
    {
        var mean = y.Average();
        var ss = 0.0;
        foreach (var v in y)
        {
            ss += (v - mean) * (v - mean);
        }

        var sd = Math.Sqrt(ss / y.Length);
        if (!(sd > 1e-12 * Math.Max(1, Math.Abs(mean))))
        {
            return false;
        }

        for (var i = 0; i < y.Length; i++)
        {
            y[i] = (y[i] - mean) / sd;
        }

        return true;
    }
}
