using System.Globalization;

namespace Hone.MLNet.Resources;

/// <summary>What the trials of one tuning run used in total, and whether a CPU or energy budget is spent.</summary>
internal sealed class RunUsage(TimeSpan? cpuBudget, double? energyBudgetWattHours)
{
    private readonly Lock _lock = new();
    private double _cpuSeconds;
    private double _joules;
    private double _wallSeconds;
    private long _peakWorkingSet;
    private string? _energyMethod;

    public void Add(TrialResources used)
    {
        lock (_lock)
        {
            _cpuSeconds += used.CpuSeconds;
            _joules += used.EnergyJoules;
            _wallSeconds += used.WallSeconds;
            _peakWorkingSet = Math.Max(_peakWorkingSet, used.PeakWorkingSetBytes);
            _energyMethod ??= used.EnergyMethod;
        }
    }

    /// <summary>Why no more trials should start (a budget is spent), or null.</summary>
    public string? Exhausted()
    {
        lock (_lock)
        {
            if (cpuBudget is { } cpu && _cpuSeconds >= cpu.TotalSeconds)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the trials used {_cpuSeconds:0.#} s of CPU time, the budget of {cpu.TotalSeconds:0.#} s");
            }

            if (energyBudgetWattHours is { } wh && _joules / 3600 >= wh)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the trials used {_joules / 3600:0.###} Wh, the energy budget of {wh:0.###} Wh");
            }

            return null;
        }
    }

    public ResourceTotals Totals(string energyMethod)
    {
        lock (_lock)
        {
            return new ResourceTotals(_wallSeconds, _cpuSeconds, _peakWorkingSet, _joules, _energyMethod ?? energyMethod, Exhausted());
        }
    }
}
