namespace Hone.MLNet.Resources;

/// <summary>What the trials of one tuning run used together (refit and test not included).</summary>
/// <param name="TrialWallSeconds">The trials' wall times added up (more than the run's wall time when trials ran at once).</param>
/// <param name="CpuSeconds">The trials' CPU seconds added up.</param>
/// <param name="PeakWorkingSetBytes">The process's largest working set during any trial.</param>
/// <param name="EnergyJoules">The trials' energy added up.</param>
/// <param name="EnergyMethod">How the energy was measured or estimated.</param>
/// <param name="BudgetStop">Why the run stopped starting trials early (a CPU or energy budget was spent), or null.</param>
public sealed record ResourceTotals(
    double TrialWallSeconds,
    double CpuSeconds,
    long PeakWorkingSetBytes,
    double EnergyJoules,
    string EnergyMethod,
    string? BudgetStop)
{
    /// <summary>The energy in watt-hours.</summary>
    public double EnergyWattHours => EnergyJoules / 3600;
}
