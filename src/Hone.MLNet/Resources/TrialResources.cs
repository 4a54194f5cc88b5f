using System.Globalization;

namespace Hone.MLNet.Resources;

/// <summary>
/// What one trial cost: wall time, CPU time, the process's peak memory while it ran and an energy estimate. Recorded
/// on every trial of a tuning run as the user attribute <see cref="AttributeKey"/>, so that cost can be shown next to
/// the metric, budgets can be enforced and cost-aware choices made.
/// </summary>
/// <remarks>
/// Trials of one run share a process. CPU time and measured energy are the process's, divided equally among the trials
/// running at each moment (sampled every 100 ms): exact with one trial at a time, a fair share with several.
/// Memory is the process's peak while the trial ran, so with several trials at once it includes the others.
/// <see cref="CpuMethod"/> and <see cref="EnergyMethod"/> say how each figure was obtained.
/// </remarks>
/// <param name="WallSeconds">Seconds from the trial's start to its end.</param>
/// <param name="CpuSeconds">CPU seconds the trial used (see remarks).</param>
/// <param name="PeakWorkingSetBytes">The process's largest working set while the trial ran.</param>
/// <param name="PeakGcHeapBytes">The largest managed heap (bytes in use) seen while the trial ran.</param>
/// <param name="EnergyJoules">Energy used, measured or estimated as <see cref="EnergyMethod"/> says.</param>
/// <param name="CpuMethod">How CPU time was attributed to the trial.</param>
/// <param name="EnergyMethod">How the energy was obtained: RAPL counters or an estimate from CPU time and memory.</param>
public sealed record TrialResources(
    double WallSeconds,
    double CpuSeconds,
    long PeakWorkingSetBytes,
    long PeakGcHeapBytes,
    double EnergyJoules,
    string CpuMethod,
    string EnergyMethod)
{
    /// <summary>The trial user attribute that holds the record.</summary>
    public const string AttributeKey = "resources";

    /// <summary>The energy in watt-hours.</summary>
    public double EnergyWattHours => EnergyJoules / 3600;

    /// <summary>The record as a trial user attribute value (snake_case keys, numbers rounded for reading).</summary>
    public IReadOnlyDictionary<string, object?> ToAttribute() => new Dictionary<string, object?>
    {
        ["wall_seconds"] = Math.Round(WallSeconds, 4),
        ["cpu_seconds"] = Math.Round(CpuSeconds, 4),
        ["peak_working_set_mb"] = Math.Round(PeakWorkingSetBytes / 1048576.0, 1),
        ["peak_gc_heap_mb"] = Math.Round(PeakGcHeapBytes / 1048576.0, 1),
        ["energy_joules"] = Math.Round(EnergyJoules, 3),
        ["cpu_method"] = CpuMethod,
        ["energy_method"] = EnergyMethod,
    };

    /// <summary>One line for people: "3.2 s wall, 2.9 s CPU, 412 MB peak, 41 J (estimate)".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{WallSeconds:0.0} s wall, {CpuSeconds:0.0} s CPU, {PeakWorkingSetBytes / 1048576.0:0} MB peak, {EnergyJoules:0} J");
}
