namespace Hone.Samplers.Qmc;

/// <summary>The low-discrepancy sequence a <see cref="QmcSampler"/> draws its points from.</summary>
public enum QmcType
{
    /// <summary>
    /// Sobol's base-2 digital sequence (Sobol 1967) with the direction numbers of Joe and Kuo (2008), up to
    /// 1,111 dimensions. Its first 2^m points are evenly spread (a (t, m, d)-net), so budgets that are powers
    /// of two use it best.
    /// </summary>
    Sobol,

    /// <summary>
    /// Halton's sequence (Halton 1960): the radical inverse of the point's index in the k-th prime base for
    /// the k-th dimension. Any number of dimensions, but its projections on high dimensions (large bases)
    /// are poorly spread unless scrambled.
    /// </summary>
    Halton,
}
