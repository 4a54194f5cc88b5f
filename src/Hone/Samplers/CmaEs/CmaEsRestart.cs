namespace Hone.Samplers.CmaEs;

/// <summary>Whether and how a <see cref="CmaEsSampler"/> starts again once a run has converged or stalled.</summary>
public enum CmaEsRestart
{
    /// <summary>One run; once it meets a termination criterion it keeps sampling around its final mean with a tiny step.</summary>
    None,

    /// <summary>IPOP (Auger and Hansen 2005): each restart doubles the population size, from a random mean.</summary>
    Ipop,

    /// <summary>
    /// BIPOP (Hansen 2009): alternates IPOP's growing populations with runs of small populations and small step sizes,
    /// spending about as many evaluations on each regime.
    /// </summary>
    Bipop,
}
