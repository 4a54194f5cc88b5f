using System.Globalization;
using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Samplers.Qmc;

/// <summary>
/// Quasi-Monte Carlo search: trial k takes point k of a low-discrepancy sequence in [0, 1)^d, mapped onto the
/// search space, so that the trials cover the space far more evenly than independent random draws (Bergstra
/// and Bengio 2012). The equivalent of Optuna's <c>QMCSampler</c>.
/// </summary>
/// <remarks>
/// <para><b>Sequences.</b> Sobol's sequence (I. M. Sobol, "On the distribution of points in a cube and the
/// approximate evaluation of integrals", USSR Comput. Math. Math. Phys. 7(4), 1967) with the direction numbers of
/// S. Joe and F. Y. Kuo ("Constructing Sobol sequences with better two-dimensional projections", SIAM J. Sci.
/// Comput. 30(5), 2008), up to 1,111 parameters; or Halton's sequence (J. H. Halton, "On the efficiency of certain
/// quasi-random sequences of points in evaluating multi-dimensional integrals", Numer. Math. 2, 1960) in prime
/// bases. Scrambling, on by default, randomizes a sequence while keeping its even spread: for Sobol a random
/// linear matrix scramble and a digital shift (J. Matoušek, "On the L2-discrepancy for anchored boxes",
/// J. Complexity 14, 1998), for Halton random permutations of the digits (A. B. Owen, "A randomized Halton
/// algorithm in R", 2017), as SciPy's <c>scipy.stats.qmc</c> does. The points are Hone's own: the same seed gives
/// the same points in every process, but not SciPy's (unscrambled points are the textbook ones, as SciPy's).</para>
/// <para><b>Search space.</b> <see cref="QmcSamplerOptions.SearchSpace"/>, or else the parameters of the first
/// finished (Complete or Pruned) trial that has any; it then stays fixed. Its parameters are ordered by name
/// (ordinal), coordinate i going to the i-th, so the assignment does not depend on which worker inferred the
/// space. Each coordinate is mapped by <see cref="DistributionSampling.FromUnit"/>: log-scaled ranges in log
/// space, integer and stepped ranges in equal cells, categoricals by index. Parameters outside the space, or
/// asked with another distribution (conditional and dynamic spaces), go to
/// <see cref="QmcSamplerOptions.IndependentSampler"/>, as does every parameter of the trials that start before
/// the space is known.</para>
/// <para><b>Which point a trial takes.</b> Trial number k takes point k. Storages hand out trial numbers
/// atomically, so parallel workers, threads of one process or processes sharing a storage, never take the same
/// point, with no counter to keep and no lock; a resumed study continues the sequence. Trials that take no point
/// (those before the space is known, enqueued ones with every parameter fixed, or trials of another sampler)
/// leave gaps, which costs a little of the even spread and nothing else. (Optuna instead counts points in a study
/// attribute, which two workers can read at once.) The point's index is recorded on the trial in the system
/// attribute <see cref="QmcIdKey"/>.</para>
/// <para>An instance may serve several studies; it keeps one inferred search space at a time. The
/// independent sampler's <see cref="ISampler.BeforeTrial"/> and <see cref="ISampler.AfterTrial"/> hooks are
/// called through this sampler.</para>
/// </remarks>
public sealed class QmcSampler : ISampler
{
    /// <summary>The system attribute that records the index of the point a trial took.</summary>
    public const string QmcIdKey = "qmc_id";

    private static readonly IReadOnlyDictionary<string, Distribution> EmptySpace = new Dictionary<string, Distribution>();
    private static readonly IReadOnlyDictionary<string, double> EmptySample = new Dictionary<string, double>();

    private readonly ISampler _independent;
    private readonly bool _includeCategorical;
    private readonly SpaceEntry? _fixedSpace;
    private SpaceEntry? _inferredSpace;
    private SobolSequence? _sobol;
    private HaltonSequence? _halton;

    /// <summary>Creates the sampler.</summary>
    /// <exception cref="ArgumentException">The options are invalid (all problems in one message).</exception>
    public QmcSampler(QmcSamplerOptions? options = null)
    {
        options ??= new QmcSamplerOptions();
        Validate(options);
        QmcType = options.QmcType;
        Scramble = options.Scramble;
        Seed = options.Seed ?? SeededRandom.NewSeed();
        _independent = options.IndependentSampler ?? new RandomSampler(Seed);
        _includeCategorical = options.IncludeCategorical;
        if (options.SearchSpace is { } space)
        {
            _fixedSpace = Build(null, space) ?? new SpaceEntry(null, EmptySpace, []);
        }
    }

    /// <summary>The sequence the points come from.</summary>
    public QmcType QmcType { get; }

    /// <summary>Whether the sequence is scrambled.</summary>
    public bool Scramble { get; }

    /// <summary>The seed in use.</summary>
    public long Seed { get; }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        if (_fixedSpace is not null)
        {
            return _fixedSpace.Space;
        }

        var known = Volatile.Read(ref _inferredSpace);
        if (known is not null && ReferenceEquals(known.Study, study))
        {
            return known.Space;
        }

        foreach (var finished in study.GetTrials(TrialState.Complete, TrialState.Pruned))
        {
            if (Build(study, finished.Distributions) is { } entry)
            {
                var witnessed = Interlocked.CompareExchange(ref _inferredSpace, entry, known);
                return ReferenceEquals(witnessed, known) || !ReferenceEquals(witnessed?.Study, study) ? entry.Space : witnessed!.Space;
            }
        }

        return EmptySpace;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The space has more parameters than a Sobol sequence has dimensions.</exception>
    public IReadOnlyDictionary<string, double> SampleRelative(
        Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(searchSpace);
        if (searchSpace.Count == 0)
        {
            return EmptySample;
        }

        var names = NamesOf(searchSpace);
        if (QmcType == QmcType.Sobol && names.Length > SobolSequence.MaxDimension)
        {
            throw new ArgumentException(TooManyForSobol(names.Length), nameof(searchSpace));
        }

        long index = trial.Number;
        var point = names.Length <= 128 ? stackalloc double[names.Length] : new double[names.Length];
        FillPoint(index, point);
        var sample = new Dictionary<string, double>(names.Length, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            sample[names[i]] = DistributionSampling.FromUnit(searchSpace[names[i]], point[i]);
        }

        study.SetTrialSystemAttr(trial, QmcIdKey, index);
        return sample;
    }

    /// <inheritdoc/>
    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution) =>
        _independent.SampleIndependent(study, trial, name, distribution);

    /// <inheritdoc/>
    public void BeforeTrial(Study study, FrozenTrial trial) => _independent.BeforeTrial(study, trial);

    /// <inheritdoc/>
    public void AfterTrial(Study study, FrozenTrial trial, TrialState state, IReadOnlyList<double>? values) =>
        _independent.AfterTrial(study, trial, state, values);

    private static void Validate(QmcSamplerOptions options)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(options.QmcType))
        {
            errors.Add($"QmcType {(int)options.QmcType} is not Sobol or Halton.");
        }

        if (options.SearchSpace is { } space)
        {
            var dimensions = 0;
            foreach (var (name, distribution) in space)
            {
                if (string.IsNullOrEmpty(name))
                {
                    errors.Add("SearchSpace has a parameter with an empty name.");
                }

                if (distribution is null)
                {
                    errors.Add($"SearchSpace parameter \"{name}\" has no distribution.");
                }
                else if (!distribution.IsSingle && (options.IncludeCategorical || distribution is not CategoricalDistribution))
                {
                    dimensions++;
                }
            }

            if (options.QmcType == QmcType.Sobol && dimensions > SobolSequence.MaxDimension)
            {
                errors.Add(TooManyForSobol(dimensions));
            }
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid QmcSamplerOptions: " + string.Join(" ", errors), nameof(options));
        }
    }

    private static string TooManyForSobol(int dimensions) => string.Create(
        CultureInfo.InvariantCulture,
        $"QmcSampler's Sobol sequence samples at most {SobolSequence.MaxDimension} parameters jointly (the Joe–Kuo " +
        $"direction numbers it ships), but the search space has {dimensions}. Use QmcType.Halton, or fix fewer " +
        $"parameters in QmcSamplerOptions.SearchSpace so the rest are sampled independently.");

    private static string[] NamesOf(IReadOnlyDictionary<string, Distribution> space, SpaceEntry? entry) =>
        entry is not null && ReferenceEquals(entry.Space, space) ? entry.Names : [.. space.Keys.Order(StringComparer.Ordinal)];

    private string[] NamesOf(IReadOnlyDictionary<string, Distribution> space) =>
        NamesOf(space, _fixedSpace ?? Volatile.Read(ref _inferredSpace));

    /// <summary>The joint space of a set of distributions, in name order, or null when nothing in it takes a dimension.</summary>
    private SpaceEntry? Build(Study? study, IReadOnlyDictionary<string, Distribution> distributions)
    {
        string[] names = [.. distributions
            .Where(p => !p.Value.IsSingle && (_includeCategorical || p.Value is not CategoricalDistribution))
            .Select(p => p.Key)
            .Order(StringComparer.Ordinal)];
        if (names.Length == 0)
        {
            return null;
        }

        var space = new Dictionary<string, Distribution>(names.Length, StringComparer.Ordinal);
        foreach (var name in names)
        {
            space[name] = distributions[name];
        }

        return new SpaceEntry(study, space, names);
    }

    private void FillPoint(long index, Span<double> point)
    {
        if (QmcType == QmcType.Sobol)
        {
            var sobol = Volatile.Read(ref _sobol);
            if (sobol is null || sobol.Dimension < point.Length)
            {
                sobol = new SobolSequence(point.Length, Scramble, Seed);
                Volatile.Write(ref _sobol, sobol);
            }

            sobol.Point(index, point);
        }
        else
        {
            var halton = Volatile.Read(ref _halton);
            if (halton is null || halton.Dimension < point.Length)
            {
                halton = new HaltonSequence(point.Length, Scramble, Seed);
                Volatile.Write(ref _halton, halton);
            }

            halton.Point(index, point);
        }
    }

    private sealed record SpaceEntry(Study? Study, IReadOnlyDictionary<string, Distribution> Space, string[] Names);
}
