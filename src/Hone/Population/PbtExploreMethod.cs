namespace Hone.Population;

/// <summary>How the explore step of <see cref="PopulationBasedTraining"/> chooses the hyperparameters of a member that exploited.</summary>
public enum PbtExploreMethod
{
    /// <summary>
    /// PBT's explore (Jaderberg et al. 2017, §3.1): each hyperparameter is resampled with
    /// <see cref="PbtOptions.ResampleProbability"/>, else multiplied by one of <see cref="PbtOptions.PerturbFactors"/>
    /// (a categorical moves to a neighbouring choice).
    /// </summary>
    Perturb,

    /// <summary>
    /// Population-Based Bandits, PB2 (Parker-Holder, Nguyen and Roberts, "Provably Efficient Online Hyperparameter
    /// Optimization with Population-Based Bandits", NeurIPS 2020): a Gaussian process of the improvement of the score over
    /// a segment, given the training step, the score at the start and the numeric hyperparameters, fitted to the recent
    /// segments of every member; the new hyperparameters maximise its upper confidence bound at the exploiting member's
    /// step and score, with the members training now as pending points (batch GP-UCB). Categorical hyperparameters are not
    /// modelled: each is drawn afresh with <see cref="PbtOptions.ResampleProbability"/>, else kept.
    /// </summary>
    Pb2,
}
