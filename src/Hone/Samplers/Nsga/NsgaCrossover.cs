namespace Hone.Samplers.Nsga;

/// <summary>How NSGA-II and NSGA-III combine two parents' numeric parameters into a child.</summary>
/// <remarks>Categorical parameters always take each parent's choice with equal probability (uniform crossover).</remarks>
public enum NsgaCrossover
{
    /// <summary>
    /// Simulated binary crossover (Deb and Agrawal, "Simulated binary crossover for continuous search space", Complex
    /// Systems 1995), in its bounded form: children near the parents, spread by the distribution index
    /// <see cref="NsgaIISamplerOptions.SbxEta"/>.
    /// </summary>
    Sbx,

    /// <summary>Each parameter from one parent or the other (<see cref="NsgaIISamplerOptions.SwappingProbability"/>), as Optuna's default.</summary>
    Uniform,

    /// <summary>
    /// Blend crossover BLX-α (Eshelman and Schaffer 1993): each parameter uniform on the parents' interval widened by α
    /// of its length at both ends (<see cref="NsgaIISamplerOptions.BlxAlpha"/>), clipped to the range.
    /// </summary>
    BlxAlpha,
}
