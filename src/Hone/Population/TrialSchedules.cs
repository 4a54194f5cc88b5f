using Hone.Studies;
using Hone.Trials;

namespace Hone.Population;

/// <summary>
/// Hyperparameters that change during training, tuned like any other: the schedule's own parameters are suggested
/// (so any sampler tunes them), and the schedule is recorded with the trial in the <c>schedule:&lt;name&gt;</c> system
/// attribute, from which the value at every step can be read back (<see cref="GetSchedule"/>) and replayed.
/// </summary>
public static class TrialSchedules
{
    /// <summary>The prefix of the system attribute that records a schedule.</summary>
    public const string AttributePrefix = "schedule:";

    /// <summary>
    /// A cosine schedule whose initial value is suggested as <paramref name="name"/> in [<paramref name="low"/>,
    /// <paramref name="high"/>] and whose final value is that times <c>&lt;name&gt;.final_ratio</c>, suggested in [0.001, 1].
    /// </summary>
    public static CosineSchedule SuggestCosineSchedule(this Trial trial, string name, double low, double high, int totalSteps, bool log = true)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var initial = trial.SuggestFloat(name, low, high, log);
        var ratio = trial.SuggestFloat(name + ".final_ratio", 0.001, 1, log: true);
        var schedule = new CosineSchedule(initial, initial * ratio, totalSteps);
        trial.RecordSchedule(name, schedule);
        return schedule;
    }

    /// <summary>
    /// A step-decay schedule whose initial value is suggested as <paramref name="name"/>, its factor as
    /// <c>&lt;name&gt;.gamma</c> in [0.1, 0.95] and its period as <c>&lt;name&gt;.step_size</c> in [1, <paramref name="totalSteps"/>].
    /// </summary>
    public static StepDecaySchedule SuggestStepDecaySchedule(this Trial trial, string name, double low, double high, int totalSteps, bool log = true)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        var initial = trial.SuggestFloat(name, low, high, log);
        var gamma = trial.SuggestFloat(name + ".gamma", 0.1, 0.95);
        var every = trial.SuggestInt(name + ".step_size", 1, totalSteps, log: totalSteps > 1);
        var schedule = new StepDecaySchedule(initial, gamma, every);
        trial.RecordSchedule(name, schedule);
        return schedule;
    }

    /// <summary>Records a schedule with a study's trial (a fixed or replayed one, say), so it is read back with the trial.</summary>
    public static void RecordSchedule(this Trial trial, string name, Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(schedule);
        if (trial is LiveTrial live)
        {
            var json = schedule.ToJson();
            live.Study.SetTrialSystemAttr(live.Snapshot(), AttributePrefix + name, json);
            live.NoteSystemAttr(AttributePrefix + name, json);
        }
    }

    /// <summary>The schedule recorded with a trial under <paramref name="name"/>, or null.</summary>
    public static Schedule? GetSchedule(this FrozenTrial trial, string name)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return trial.SystemAttrs.TryGetValue(AttributePrefix + name, out var json) ? Schedule.FromJson(json) : null;
    }
}
