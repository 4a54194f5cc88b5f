using System.Text.Json;
using Hone.Distributions;

namespace Hone.Trials;

/// <summary>
/// One evaluation of the objective, seen from inside it. The objective asks for parameters with the
/// <c>Suggest</c> methods (define-by-run: the search space is whatever the objective asks for, with
/// branches and loops), reports intermediate values and asks whether to stop early.
/// </summary>
/// <remarks>
/// Asking for the same name twice in one trial returns the same value; asking for it with a different
/// distribution is an error. The trial a study hands out is backed by its storage; <see cref="FixedTrial"/>
/// answers from fixed values so an objective can be unit-tested.
/// </remarks>
public abstract class Trial
{
    private protected Trial()
    {
    }

    /// <summary>The trial's number within its study, from 0.</summary>
    public abstract int Number { get; }

    /// <summary>The parameters suggested so far, as the objective saw them.</summary>
    public abstract IReadOnlyDictionary<string, object?> Params { get; }

    /// <summary>The distribution of each parameter suggested so far.</summary>
    public abstract IReadOnlyDictionary<string, Distribution> Distributions { get; }

    /// <summary>The attributes set with <see cref="SetUserAttr"/>.</summary>
    public abstract IReadOnlyDictionary<string, JsonElement> UserAttrs { get; }

    /// <summary>Suggests a real value in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    /// <param name="name">The parameter's name, unique within the trial.</param>
    /// <param name="low">The smallest value.</param>
    /// <param name="high">The largest value (included).</param>
    /// <param name="log">Sample uniformly in log space; needs <paramref name="low"/> &gt; 0.</param>
    /// <param name="step">Only values low + k·step; must divide the range, and cannot be used with log.</param>
    /// <exception cref="ArgumentException">The arguments break a rule; the message names the parameter.</exception>
    public double SuggestFloat(string name, double low, double high, bool log = false, double? step = null)
    {
        CheckName(name);
        var problem = FloatDistribution.Problem(low, high, log, step);
        if (problem is not null)
        {
            throw new ArgumentException($"SuggestFloat(\"{name}\"): {problem}", nameof(low));
        }

        return Suggest(name, new FloatDistribution(low, high, log, step));
    }

    /// <summary>Suggests an integer in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    /// <param name="name">The parameter's name, unique within the trial.</param>
    /// <param name="low">The smallest value.</param>
    /// <param name="high">The largest value (included).</param>
    /// <param name="log">Sample uniformly in log space; needs <paramref name="low"/> ≥ 1 and step 1.</param>
    /// <param name="step">Only values low + k·step; must divide the range.</param>
    /// <exception cref="ArgumentException">The arguments break a rule; the message names the parameter.</exception>
    public int SuggestInt(string name, int low, int high, bool log = false, int step = 1)
    {
        CheckName(name);
        var problem = IntDistribution.Problem(low, high, log, step);
        if (problem is not null)
        {
            throw new ArgumentException($"SuggestInt(\"{name}\"): {problem}", nameof(low));
        }

        return (int)Math.Round(Suggest(name, new IntDistribution(low, high, log, step)));
    }

    /// <summary>Suggests one of <paramref name="choices"/> (strings, numbers, booleans or null).</summary>
    /// <param name="name">The parameter's name, unique within the trial.</param>
    /// <param name="choices">The distinct choices; the same list in every trial of a study.</param>
    /// <exception cref="ArgumentException">The choices are empty, repeated or of an unsupported type.</exception>
    public T SuggestCategorical<T>(string name, IReadOnlyList<T> choices)
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(choices);
        var boxed = new object?[choices.Count];
        for (var i = 0; i < boxed.Length; i++)
        {
            boxed[i] = choices[i];
        }

        CategoricalDistribution distribution;
        try
        {
            distribution = new CategoricalDistribution(boxed);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"SuggestCategorical(\"{name}\"): {e.Message}", nameof(choices), e);
        }

        var index = (int)Math.Round(Suggest(name, distribution));
        return choices[index];
    }

    /// <summary>Records an intermediate value of the objective at a step (an epoch, a fold, ...), for pruners.</summary>
    /// <remarks>
    /// Any double is accepted, as in Optuna: infinities, and NaN (stored with Optuna's <c>NAN</c> value type). Each
    /// pruner says what NaN means to it; e.g. <see cref="Pruners.ThresholdPruner"/> prunes on it and
    /// <see cref="Pruners.MedianPruner"/> ignores it in other trials. A second report for the same step is ignored.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The step is negative.</exception>
    /// <exception cref="InvalidOperationException">The study has more than one objective (use <see cref="Report(IReadOnlyList{double}, int)"/>).</exception>
    public abstract void Report(double value, int step);

    /// <summary>
    /// Records the intermediate values of every objective at a step, in a study with several objectives, for a pruner
    /// that judges vectors (<see cref="Pruners.DominancePruner"/>). Optuna has no counterpart: it cannot prune a
    /// multi-objective study.
    /// </summary>
    /// <remarks>
    /// One value per objective, in the study's order of directions. Any double is accepted, as for
    /// <see cref="Report(double, int)"/>; a second report for the same step is ignored. Stored as a trial system
    /// attribute per step (<c>intermediate_values:STEP</c>), readable as <see cref="FrozenTrial.IntermediateVectors"/>.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The step is negative.</exception>
    /// <exception cref="ArgumentException">The number of values is not the study's number of objectives.</exception>
    /// <exception cref="InvalidOperationException">The study has one objective (use <see cref="Report(double, int)"/>).</exception>
    public abstract void Report(IReadOnlyList<double> values, int step);

    /// <summary>Whether the study's pruner says this trial should stop now; if so, throw <see cref="TrialPrunedException"/>.</summary>
    /// <remarks>Also true once the trial was finished elsewhere (see <see cref="FinishedElsewhere"/>).</remarks>
    public abstract bool ShouldPrune();

    /// <summary>
    /// Cancelled when this trial was finished by someone other than its worker: typically another process that
    /// missed its heartbeats and failed it as stale. Nothing more is recorded on the trial; stop working on it. The
    /// optimize loop then goes on with the next trial (an async objective receives this token linked with the run's).
    /// </summary>
    /// <value>A token that is never cancelled for a trial without a study (<see cref="FixedTrial"/>).</value>
    public virtual CancellationToken FinishedElsewhere => CancellationToken.None;

    /// <summary>Attaches a JSON-serializable value to the trial.</summary>
    public abstract void SetUserAttr(string key, object? value);

    /// <summary>The constraint values set with <see cref="SetConstraint"/>, by name.</summary>
    public IReadOnlyDictionary<string, double> Constraints => ConstraintsSet.ByName();

    /// <summary>
    /// Records a constraint on the outcome (constrained optimization): <paramref name="value"/> ≤ 0 means the constraint
    /// is satisfied, a positive value is by how much it is violated. A trial with any violated constraint is infeasible:
    /// it is never a best trial, and samplers that handle constraints (NSGA-II, NSGA-III, TPE) rank it after every
    /// feasible trial, by its total violation.
    /// </summary>
    /// <remarks>
    /// Setting a name again replaces its value. The values are stored when the trial completes (or is pruned), in the
    /// order their names were first set and followed by those of <see cref="Studies.StudyOptions.Constraints"/>, in the
    /// <c>constraints</c> system attribute as Optuna stores them, so Optuna's constrained samplers read them too.
    /// </remarks>
    /// <param name="name">The constraint's name, e.g. "memory_gb".</param>
    /// <param name="value">The constraint's value: ≤ 0 satisfied, &gt; 0 violated.</param>
    /// <exception cref="ArgumentException">The name is empty or the value is not finite.</exception>
    public void SetConstraint(string name, double value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"Constraint \"{name}\" is {value}; a constraint value must be a finite number (≤ 0 satisfied).", nameof(value));
        }

        ConstraintsSet.Set(name, value);
    }

    /// <summary>The named constraints set so far.</summary>
    internal ConstraintValues ConstraintsSet { get; } = new();

    /// <summary>
    /// Returns the internal value of the parameter: the one already set in this trial, a fixed one,
    /// or a new draw. Implementations check the distribution against an earlier one of the same name.
    /// </summary>
    private protected abstract double Suggest(string name, Distribution distribution);

    /// <summary>The error for a parameter asked again in one trial with another distribution.</summary>
    private protected static ArgumentException Conflict(string name, Distribution earlier, Distribution now) =>
        new($"Parameter \"{name}\" was already suggested in this trial as {earlier}; it cannot be suggested again as {now}. " +
            "Use a different name, or the same bounds, log, step and choices.", nameof(name));

    private static void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("A parameter name must be a non-empty string.", nameof(name));
        }
    }
}
