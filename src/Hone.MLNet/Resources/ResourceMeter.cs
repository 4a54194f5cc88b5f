using System.Diagnostics;
using System.Globalization;

namespace Hone.MLNet.Resources;

/// <summary>
/// Meters the trials of one tuning run in one process: every <c>interval</c> it reads the process's CPU time, working
/// set, managed heap and (where readable) RAPL energy, and shares each increase equally among the trials running at
/// that moment. It also enforces the per-trial limits: a trial past its time limit, or running while the process's
/// working set is above the memory limit, has its token cancelled and a reason recorded.
/// </summary>
/// <remarks>
/// Without RAPL the energy is estimated the way the Green Algorithms calculator does (Lannelongue, Grealey and Inouye,
/// "Green Algorithms: Quantifying the Carbon Footprint of Computation", Advanced Science 2021): CPU time × power per core,
/// plus memory × 0.3725 W per GB over the time it is held.
/// </remarks>
internal sealed class ResourceMeter : IDisposable
{
    /// <summary>Green Algorithms' power draw of memory, in watts per GB.</summary>
    public const double WattsPerGigabyte = 0.3725;

    private readonly Lock _lock = new();
    private readonly List<Lease> _active = [];
    private readonly Timer _timer;
    private readonly RaplCounter? _rapl;
    private readonly double _wattsPerCore;
    private readonly long? _memoryLimit;
    private readonly string _energyMethod;
    private TimeSpan _lastCpu;
    private long _lastTimestamp;
    private double _lastJoules;
    private bool _disposed;

    public ResourceMeter(double wattsPerCore, long? memoryLimitBytes, TimeSpan interval, RaplCounter? rapl)
    {
        _wattsPerCore = wattsPerCore;
        _memoryLimit = memoryLimitBytes;
        _rapl = rapl;
        _energyMethod = rapl is not null
            ? RaplCounter.Method
            : string.Create(CultureInfo.InvariantCulture,
                $"estimate: CPU time x {wattsPerCore:0.###} W per core + memory x {WattsPerGigabyte} W per GB (Green Algorithms; no RAPL counter readable)");
        _lastCpu = Environment.CpuUsage.TotalTime;
        _lastTimestamp = Stopwatch.GetTimestamp();
        _lastJoules = rapl?.Joules() ?? 0;
        _timer = new Timer(_ => Tick(), null, interval, interval);
    }

    /// <summary>How energy figures are obtained on this machine.</summary>
    public string EnergyMethod => _energyMethod;

    /// <summary>Starts metering a trial; its token is cancelled when it passes <paramref name="timeLimit"/> or the memory limit.</summary>
    public Lease Start(TimeSpan? timeLimit)
    {
        var lease = new Lease(this, timeLimit);
        lock (_lock)
        {
            Advance();
            _active.Add(lease);
            foreach (var running in _active)
            {
                running.SeeConcurrent(_active.Count);
            }

            Sample(lease);
        }

        return lease;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }

        _timer.Dispose();
    }

    private void Tick()
    {
        lock (_lock)
        {
            if (_disposed || _active.Count == 0)
            {
                Advance();
                return;
            }

            Advance();
            foreach (var lease in _active)
            {
                Sample(lease);
            }
        }
    }

    /// <summary>Shares what the process used since the last reading among the running trials.</summary>
    private void Advance()
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var now = Stopwatch.GetTimestamp();
        var joules = _rapl?.Joules() ?? 0;
        var cpuSeconds = Math.Max(0, (cpu - _lastCpu).TotalSeconds);
        var seconds = Stopwatch.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
        var measuredJoules = Math.Max(0, joules - _lastJoules);
        _lastCpu = cpu;
        _lastTimestamp = now;
        _lastJoules = joules;
        if (_active.Count == 0)
        {
            return;
        }

        var share = 1.0 / _active.Count;
        var memoryJoules = Environment.WorkingSet / 1e9 * WattsPerGigabyte * seconds;
        foreach (var lease in _active)
        {
            lease.CpuSeconds += cpuSeconds * share;
            lease.Joules += (_rapl is not null ? measuredJoules : cpuSeconds * _wattsPerCore + memoryJoules) * share;
        }
    }

    private void Sample(Lease lease)
    {
        var workingSet = Environment.WorkingSet;
        lease.PeakWorkingSet = Math.Max(lease.PeakWorkingSet, workingSet);
        lease.PeakGcHeap = Math.Max(lease.PeakGcHeap, GC.GetTotalMemory(forceFullCollection: false));
        if (_memoryLimit is { } limit && workingSet > limit && lease.StopReason is null)
        {
            lease.Exceed(string.Create(CultureInfo.InvariantCulture,
                $"the process's memory reached {workingSet / 1048576.0:0} MB, above the limit of {limit / 1048576.0:0} MB"));
        }
    }

    private TrialResources Stop(Lease lease)
    {
        lock (_lock)
        {
            Advance();
            Sample(lease);
            _active.Remove(lease);
            var concurrent = lease.MaxConcurrent > 1
                ? string.Create(CultureInfo.InvariantCulture, $"process CPU time shared equally among up to {lease.MaxConcurrent} trials running at once")
                : "process CPU time while the trial ran alone";
            return new TrialResources(lease.Wall.Elapsed.TotalSeconds, lease.CpuSeconds, lease.PeakWorkingSet, lease.PeakGcHeap, lease.Joules, concurrent, _energyMethod);
        }
    }

    /// <summary>One trial's running account; <see cref="Stop"/> ends it and returns what it used.</summary>
    internal sealed class Lease : IDisposable
    {
        private readonly ResourceMeter _meter;
        private readonly CancellationTokenSource _cancel = new();
        private readonly TimeSpan? _timeLimit;
        private TrialResources? _result;

        public Lease(ResourceMeter meter, TimeSpan? timeLimit)
        {
            _meter = meter;
            _timeLimit = timeLimit;
            if (timeLimit is { } limit)
            {
                _cancel.CancelAfter(limit);
            }
        }

        public Stopwatch Wall { get; } = Stopwatch.StartNew();

        public double CpuSeconds { get; set; }

        public double Joules { get; set; }

        public long PeakWorkingSet { get; set; }

        public long PeakGcHeap { get; set; }

        public int MaxConcurrent { get; private set; } = 1;

        /// <summary>Cancelled when the trial passes a limit.</summary>
        public CancellationToken Token => _cancel.Token;

        /// <summary>Why the trial was stopped: the memory limit, or (once the token fired without one) the time limit.</summary>
        public string? StopReason
        {
            get
            {
                if (field is null && _cancel.IsCancellationRequested && _timeLimit is { } limit)
                {
                    field = string.Create(CultureInfo.InvariantCulture, $"it ran longer than its time limit of {limit.TotalSeconds:0.###} s");
                }

                return field;
            }

            private set;
        }

        public void Exceed(string reason)
        {
            StopReason ??= reason;
            _cancel.Cancel();
        }

        public void SeeConcurrent(int count) => MaxConcurrent = Math.Max(MaxConcurrent, count);

        public TrialResources Stop() => _result ??= _meter.Stop(this);

        public void Dispose()
        {
            Stop();
            _cancel.Dispose();
        }
    }
}
