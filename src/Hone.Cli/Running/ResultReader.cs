using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hone.Cli.Sweep;

namespace Hone.Cli.Running;

/// <summary>
/// Finds a trial's metric values in its output: the last stdout line that is a JSON object with every metric
/// key, the last match of each regex, or a file read after the program exits.
/// </summary>
internal sealed class ResultReader(IReadOnlyList<string> metrics, ResultSpec spec)
{
    private readonly string?[] _lastMatches = new string?[metrics.Count];
    private string? _lastJsonLine;

    /// <summary>Looks at one stdout line (called in order, from one thread).</summary>
    public void OnLine(string line)
    {
        if (spec.File is not null)
        {
            return;
        }

        if (spec.Patterns is { } patterns)
        {
            for (var i = 0; i < patterns.Count; i++)
            {
                if (LastMatch(patterns[i], line) is { } m)
                {
                    _lastMatches[i] = m;
                }
            }

            return;
        }

        var trimmed = line.AsSpan().Trim();
        if (trimmed.Length >= 2 && trimmed[0] == '{' && trimmed[^1] == '}' && trimmed.Contains($"\"{metrics[0]}\"", StringComparison.Ordinal))
        {
            _lastJsonLine = line;
        }
    }

    /// <summary>The values, or null with the reason the trial fails.</summary>
    public double[]? Values(string? filePath, out string? problem)
    {
        problem = null;
        if (filePath is not null)
        {
            string text;
            try
            {
                text = File.ReadAllText(filePath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problem = $"cannot read the result file {filePath}: {e.Message}";
                return null;
            }

            if (spec.Patterns is { } patterns)
            {
                for (var i = 0; i < patterns.Count; i++)
                {
                    _lastMatches[i] = null;
                    foreach (var line in text.Split('\n'))
                    {
                        if (LastMatch(patterns[i], line) is { } m)
                        {
                            _lastMatches[i] = m;
                        }
                    }
                }

                return FromMatches(out problem, $"the result file {filePath}");
            }

            var trimmed = text.Trim();
            if (metrics.Count == 1 && TryNumber(trimmed, out var bare))
            {
                return [bare];
            }

            if (FromJson(trimmed, out problem) is { } whole)
            {
                return whole;
            }

            var lastObject = text.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{') && l.EndsWith('}'));
            if (lastObject is not null && FromJson(lastObject, out var lineProblem) is { } fromLine)
            {
                return fromLine;
            }

            problem = $"the result file {filePath} holds no JSON object with {Keys()}{(metrics.Count == 1 ? " and is not a number" : string.Empty)}";
            return null;
        }

        if (spec.Patterns is not null)
        {
            return FromMatches(out problem, "stdout");
        }

        if (_lastJsonLine is null)
        {
            problem = $"no line of stdout is a JSON object with {Keys()} (print e.g. {{\"{metrics[0]}\": 0.123}} as the last such line)";
            return null;
        }

        return FromJson(_lastJsonLine, out problem);
    }

    private string Keys() => metrics.Count == 1 ? $"the key \"{metrics[0]}\"" : $"the keys {string.Join(", ", metrics.Select(m => $"\"{m}\""))}";

    private double[]? FromMatches(out string? problem, string where)
    {
        problem = null;
        var values = new double[metrics.Count];
        for (var i = 0; i < values.Length; i++)
        {
            if (_lastMatches[i] is not { } text)
            {
                problem = $"result.regex for metric \"{metrics[i]}\" matched nothing in {where}";
                return null;
            }

            if (!TryNumber(text, out values[i]))
            {
                problem = $"metric \"{metrics[i]}\" is \"{text}\", which is not a number";
                return null;
            }
        }

        return values;
    }

    private double[]? FromJson(string json, out string? problem)
    {
        problem = null;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            problem = $"the result is not valid JSON: {e.Message}";
            return null;
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = "the result is not a JSON object";
                return null;
            }

            var values = new double[metrics.Count];
            for (var i = 0; i < values.Length; i++)
            {
                if (!doc.RootElement.TryGetProperty(metrics[i], out var e))
                {
                    problem = $"the result has no key \"{metrics[i]}\"";
                    return null;
                }

                if (e.ValueKind == JsonValueKind.Number)
                {
                    values[i] = e.GetDouble();
                }
                else if (e.ValueKind == JsonValueKind.String && TryNumber(e.GetString()!, out var parsed))
                {
                    values[i] = parsed;
                }
                else
                {
                    problem = $"metric \"{metrics[i]}\" is {e.GetRawText()}, which is not a number";
                    return null;
                }
            }

            return values;
        }
    }

    private static string? LastMatch(Regex regex, string line)
    {
        string? result = null;
        try
        {
            for (var m = regex.Match(line); m.Success; m = m.NextMatch())
            {
                var g = m.Groups["value"].Success ? m.Groups["value"] : m.Groups[1];
                result = g.Value;
            }
        }
        catch (RegexMatchTimeoutException)
        {
        }

        return result;
    }

    public static bool TryNumber(string text, out double value) =>
        YamlContext.TryParseDouble(text.Trim(), out value)
        || double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
