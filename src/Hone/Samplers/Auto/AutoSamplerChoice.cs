namespace Hone.Samplers.Auto;

/// <summary>The algorithm an <see cref="AutoSampler"/> chose for a trial, recorded in the trial's <c>auto:sampler</c> system attribute.</summary>
public enum AutoSamplerChoice
{
    /// <summary>Gaussian-process Bayesian optimization (<see cref="Gp.GpSampler"/>), recorded as <c>gp</c>.</summary>
    GaussianProcess,

    /// <summary>The multivariate tree-structured Parzen estimator (<see cref="Tpe.TpeSampler"/>), recorded as <c>tpe</c>.</summary>
    Tpe,

    /// <summary>CMA-ES warm-started from the trials so far (<see cref="CmaEs.CmaEsSampler"/>), recorded as <c>cmaes</c>.</summary>
    CmaEs,

    /// <summary>Independent uniform sampling (<see cref="RandomSampler"/>), recorded as <c>random</c>.</summary>
    Random,

    /// <summary>NSGA-II with uniform crossover, for several objectives (<see cref="Nsga.NsgaIISampler"/>), recorded as <c>nsga2</c>.</summary>
    NsgaII,
}
