using System.Globalization;

namespace Hone.Bench.Cli;

/// <summary>
/// The options of one bench command: <c>--name value</c> pairs and bare <c>--flag</c>s. Every option a command
/// reads is marked as known; <see cref="ThrowIfUnknown"/> then rejects typos instead of ignoring them.
/// </summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    private BenchArgs(string command) => Command = command;

    public string Command { get; }

    public static BenchArgs Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException("Missing command.");
        }

        var result = new BenchArgs(args[0]);
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new UsageException($"Unexpected argument \"{arg}\"; options look like --name value.");
            }

            var name = arg[2..];
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }

            result._values[name] = value;
        }

        return result;
    }

    public bool Flag(string name)
    {
        _known.Add(name);
        if (!_values.TryGetValue(name, out var value))
        {
            return false;
        }

        return value is null || bool.Parse(value);
    }

    public string? String(string name)
    {
        _known.Add(name);
        if (!_values.TryGetValue(name, out var value))
        {
            return null;
        }

        return value ?? throw new UsageException($"--{name} needs a value.");
    }

    public string String(string name, string fallback) => String(name) ?? fallback;

    public int Int(string name, int fallback, int min = int.MinValue)
    {
        var text = String(name);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            throw new UsageException($"--{name} must be an integer ≥ {min}, got \"{text}\".");
        }

        return value;
    }

    /// <summary>A comma-separated list, or <paramref name="fallback"/> when the option is absent.</summary>
    public IReadOnlyList<string> List(string name, IReadOnlyList<string> fallback)
    {
        var text = String(name);
        return text is null
            ? fallback
            : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>A comma-separated list of positive integers.</summary>
    public IReadOnlyList<int> IntList(string name, IReadOnlyList<int> fallback)
    {
        var text = String(name);
        if (text is null)
        {
            return fallback;
        }

        var result = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                throw new UsageException($"--{name} must be positive integers separated by commas, got \"{text}\".");
            }

            result.Add(value);
        }

        return result;
    }

    public void ThrowIfUnknown()
    {
        var unknown = _values.Keys.Where(k => !_known.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException(
                $"Unknown option(s) for \"{Command}\": {string.Join(", ", unknown.Select(u => "--" + u))}. " +
                $"Known: {string.Join(", ", _known.Order(StringComparer.Ordinal).Select(k => "--" + k))}.");
        }
    }
}
