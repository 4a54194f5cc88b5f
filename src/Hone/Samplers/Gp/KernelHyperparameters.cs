namespace Hone.Samplers.Gp;

/// <summary>
/// The GP's hyperparameters in the log space they are optimised in: log inverse squared length scales (one per
/// coordinate), log signal variance σ², log noise variance.
/// </summary>
internal sealed class KernelHyperparameters
{
    public KernelHyperparameters(double[] logInverseSquaredLengthScales, double logSignalVariance, double logNoiseVariance)
    {
        LogInverseSquaredLengthScales = logInverseSquaredLengthScales;
        LogSignalVariance = logSignalVariance;
        LogNoiseVariance = logNoiseVariance;
        InverseSquaredLengthScales = [.. logInverseSquaredLengthScales.Select(Math.Exp)];
        SignalVariance = Math.Exp(logSignalVariance);
        NoiseVariance = Math.Exp(logNoiseVariance);
    }

    public double[] LogInverseSquaredLengthScales { get; }

    public double LogSignalVariance { get; }

    public double LogNoiseVariance { get; }

    public double[] InverseSquaredLengthScales { get; }

    public double SignalVariance { get; }

    public double NoiseVariance { get; }

    public int Dimension => LogInverseSquaredLengthScales.Length;

    /// <summary>The parameters as one vector: the log inverse squared length scales, then log σ², then log noise.</summary>
    public double[] ToVector() => [.. LogInverseSquaredLengthScales, LogSignalVariance, LogNoiseVariance];

    public static KernelHyperparameters FromVector(ReadOnlySpan<double> v, int d) =>
        new(v[..d].ToArray(), v[d], v[d + 1]);
}
