using System.Globalization;

namespace Hone.MLNet.Resources;

/// <summary>
/// Linux RAPL energy counters (<c>/sys/class/powercap/intel-rapl:N/energy_uj</c>, one per CPU package; AMD's
/// kernels expose them under the same name), read as a running total in joules. Null where none is readable:
/// virtual machines and containers often hide them, and since Linux 5.10 they are readable by root only.
/// </summary>
internal sealed class RaplCounter
{
    private readonly (string Energy, double RangeMicrojoules)[] _packages;
    private readonly double[] _last;
    private double _total;

    private RaplCounter((string, double)[] packages, double[] first)
    {
        _packages = packages;
        _last = first;
    }

    public const string Method = "measured: RAPL package energy counters (whole CPU, shared among running trials)";

    /// <summary>The counters under <paramref name="root"/>, or null when none can be read.</summary>
    public static RaplCounter? Open(string root = "/sys/class/powercap")
    {
        try
        {
            if (!Directory.Exists(root))
            {
                return null;
            }

            var packages = new List<(string, double)>();
            var first = new List<double>();
            foreach (var zone in Directory.GetDirectories(root, "intel-rapl:*").Where(d => Path.GetFileName(d).Count(c => c == ':') == 1).Order(StringComparer.Ordinal))
            {
                var energy = Path.Combine(zone, "energy_uj");
                var range = Path.Combine(zone, "max_energy_range_uj");
                if (Read(energy) is { } value && Read(range) is { } max)
                {
                    packages.Add((energy, max));
                    first.Add(value);
                }
            }

            return packages.Count == 0 ? null : new RaplCounter([.. packages], [.. first]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Joules since the counter was opened; a counter that wrapped around is unwrapped with its range.</summary>
    public double Joules()
    {
        for (var i = 0; i < _packages.Length; i++)
        {
            if (Read(_packages[i].Energy) is not { } now)
            {
                continue;
            }

            var delta = now - _last[i];
            if (delta < 0)
            {
                delta += _packages[i].RangeMicrojoules;
            }

            _total += delta / 1e6;
            _last[i] = now;
        }

        return _total;
    }

    private static double? Read(string path)
    {
        try
        {
            return double.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
