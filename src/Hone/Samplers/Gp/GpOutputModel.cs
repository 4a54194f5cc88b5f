namespace Hone.Samplers.Gp;

/// <summary>
/// The GP of one modelled output (an objective or a constraint) across suggestions: the last fitted kernel
/// hyperparameters, refitted (warm-started) for every suggestion while there are at most
/// <see cref="GpStudyState.RefitEveryTrialUpTo"/> observations and then each time the data has grown by 5%, and the GP
/// factored under them, extended by new observations in between. Not thread-safe.
/// </summary>
internal sealed class GpOutputModel
{
    private readonly bool _deterministic;
    private GaussianProcess? _base;
    private int _fittedAt;

    public GpOutputModel(bool deterministic) => _deterministic = deterministic;

    /// <summary>The hyperparameters of the last fit.</summary>
    public KernelHyperparameters? Hyperparameters { get; private set; }

    /// <summary>How many times the hyperparameters were fitted.</summary>
    public int Fits { get; private set; }

    /// <summary>
    /// The GP on the first <paramref name="n"/> rows of <paramref name="x"/> with standardised outputs
    /// <paramref name="y"/>; <paramref name="extendsPrevious"/> says the rows are the previous call's followed by new
    /// ones, so that the factor can grow instead of being recomputed. Null when the kernel matrix cannot be factored.
    /// </summary>
    public GaussianProcess? Fit(double[] x, int n, double[] y, bool[] categorical, bool extendsPrevious)
    {
        var d = categorical.Length;
        var due = Hyperparameters is null || n <= GpStudyState.RefitEveryTrialUpTo || n >= _fittedAt * 1.05;
        if (due)
        {
            var likelihood = new MarginalLikelihood(x, n, y, categorical, _deterministic);
            var starts = new List<KernelHyperparameters>();
            if (Hyperparameters is { } previous)
            {
                starts.Add(previous);
            }

            if (Hyperparameters is null || n <= 32)
            {
                starts.Add(likelihood.Default());
            }

            var fitted = likelihood.Fit(starts, Hyperparameters is null ? 100 : 50);
            Fits++;
            Hyperparameters = fitted ?? Hyperparameters ?? likelihood.Default();
            _fittedAt = n;
            _base = GaussianProcess.Create(Hyperparameters, categorical, x, n);
        }
        else if (_base is not null && extendsPrevious && _base.Count <= n)
        {
            for (var i = _base.Count; i < n && _base is not null; i++)
            {
                if (!_base.TryAdd(x.AsSpan(i * d, d)))
                {
                    _base = GaussianProcess.Create(Hyperparameters!, categorical, x, n);
                }
            }
        }
        else
        {
            _base = null;
        }

        _base ??= GaussianProcess.Create(Hyperparameters!, categorical, x, n);
        _base?.SetOutputs(y);
        return _base;
    }
}
