using Hone.Distributions;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Samplers;

/// <summary>
/// Chooses parameter values for trials. The define-by-run contract that Optuna proved: a joint
/// ("relative") part for the parameters the sampler can model together, and an independent part for
/// everything else.
/// </summary>
/// <remarks>
/// <para>Call order for each trial:</para>
/// <list type="number">
/// <item><see cref="BeforeTrial"/> once the trial exists (Running);</item>
/// <item><see cref="InferRelativeSearchSpace"/>, then <see cref="SampleRelative"/> with that space, once;</item>
/// <item>for each parameter the objective asks for that the relative sample does not cover (absent, or
/// with a different distribution), <see cref="SampleIndependent"/>;</item>
/// <item><see cref="AfterTrial"/> when the trial ends, before its state is stored.</item>
/// </list>
/// <para>Samplers are stateless with respect to storage: everything they learn comes from
/// <see cref="Study.GetTrials(TrialState[])"/>, so a study can be resumed, or shared by many processes, with a
/// fresh sampler. The trials handed in must not be modified. All values are in the internal representation
/// (<see cref="Distribution.ToInternal"/>). With parallel workers, methods are called from several threads at once.</para>
/// </remarks>
public interface ISampler
{
    /// <summary>The parameters to sample jointly for this trial.</summary>
    /// <remarks>Empty unless implemented: a sampler that draws each parameter on its own implements only <see cref="SampleIndependent"/>.</remarks>
    IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial) => NoRelativeSpace.Space;

    /// <summary>Samples the parameters of <paramref name="searchSpace"/> jointly; internal values by name.</summary>
    IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace) =>
        NoRelativeSpace.Sample;

    /// <summary>Samples one parameter on its own; returns its internal value.</summary>
    double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution);

    /// <summary>Called when a trial starts, before any sampling.</summary>
    void BeforeTrial(Study study, FrozenTrial trial)
    {
    }

    /// <summary>Called when a trial ends, before its final state is stored.</summary>
    void AfterTrial(Study study, FrozenTrial trial, TrialState state, IReadOnlyList<double>? values)
    {
    }

    /// <summary>
    /// Whether the sampler has nothing left to propose (a grid fully assigned): the optimize loop then
    /// starts no new trial. Checked under the study's ask lock, before a trial is created.
    /// </summary>
    bool IsExhausted(Study study) => false;
}

/// <summary>The empty relative search space and sample of samplers that sample every parameter independently.</summary>
internal static class NoRelativeSpace
{
    public static readonly IReadOnlyDictionary<string, Distribution> Space = new Dictionary<string, Distribution>();

    public static readonly IReadOnlyDictionary<string, double> Sample = new Dictionary<string, double>();
}
