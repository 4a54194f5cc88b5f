using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Hone.Cli.Sweep;

/// <summary>
/// Reads typed values out of a YAML representation tree, collecting every problem as
/// <c>file:line:column: what was wrong; what was expected</c>. Readers return null on a problem, so one pass
/// reports all of them.
/// </summary>
internal sealed class YamlContext(string fileName)
{
    private readonly List<string> _problems = [];

    public string FileName { get; } = fileName;

    public IReadOnlyList<string> Problems => _problems;

    public static YamlNode? Load(string fileName, string text, out string? syntaxError)
    {
        syntaxError = null;
        var parser = new MarkTrackingParser(new Parser(new StringReader(text)));
        try
        {
            var stream = new YamlStream();
            stream.Load(parser);
            return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some unterminated flow collections; report where parsing stopped.
            syntaxError = $"{fileName}:{parser.Last.Line}:{parser.Last.Column}: YAML syntax error after this point: " +
                "an unterminated [list] or {mapping}, or a quote without its closing quote";
            return null;
        }
        catch (YamlException e)
        {
            var message = e.InnerException is YamlException inner ? inner.Message : e.Message;
            // YamlDotNet prepends "(Line: 3, Col: 5, Idx: ..) - (...): "; the location is reported our way instead.
            var cut = message.IndexOf("): ", StringComparison.Ordinal);
            if (message.StartsWith("(Line", StringComparison.Ordinal) && cut > 0)
            {
                message = message[(cut + 3)..];
            }

            syntaxError = $"{fileName}:{e.Start.Line}:{e.Start.Column}: YAML syntax error: {message}";
            return null;
        }
    }

    public string Where(YamlNode node) => Where(node.Start);

    /// <summary>Remembers where the last event ended, to place errors the library reports without a mark.</summary>
    private sealed class MarkTrackingParser(IParser inner) : IParser
    {
        public Mark Last { get; private set; } = Mark.Empty;

        public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            if (inner.Current is { } e)
            {
                Last = e.End;
            }

            return moved;
        }
    }

    public string Where(Mark mark) => $"{FileName}:{mark.Line}:{mark.Column}";

    /// <summary>Records a problem at a node.</summary>
    public void Problem(YamlNode node, string message) => _problems.Add($"{Where(node)}: {message}");

    public void Problem(string message) => _problems.Add($"{FileName}: {message}");

    public YamlMappingNode? Mapping(YamlNode node, string what)
    {
        if (node is YamlMappingNode m)
        {
            return m;
        }

        Problem(node, $"{what} must be a mapping (key: value lines); got {Describe(node)}");
        return null;
    }

    /// <summary>Rejects keys that are not in <paramref name="known"/>, suggesting the nearest valid one.</summary>
    public void CheckKeys(YamlMappingNode mapping, string where, IReadOnlyCollection<string> known)
    {
        foreach (var (keyNode, _) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                Problem(keyNode, $"keys in {where} must be plain names; got {Describe(keyNode)}");
            }
            else if (!known.Contains(key))
            {
                Problem(keyNode, $"unknown key \"{key}\" in {where}; {KeySuggestions.Hint(key, known)}");
            }
        }
    }

    public static YamlNode? Get(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: "" or "~" or "null" or "Null" or "NULL" };

    public string? String(YamlNode node, string what)
    {
        if (node is YamlScalarNode s && !IsNull(node))
        {
            return s.Value ?? string.Empty;
        }

        Problem(node, $"{what} must be a string; got {Describe(node)}");
        return null;
    }

    public bool? Bool(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: { } v } && (v is "true" or "True" or "TRUE" or "false" or "False" or "FALSE"))
        {
            return v.Equals("true", StringComparison.OrdinalIgnoreCase);
        }

        Problem(node, $"{what} must be true or false; got {Describe(node)}");
        return null;
    }

    public int? Int(YamlNode node, string what, int min = int.MinValue)
    {
        if (node is YamlScalarNode { Value: { } v } && int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
        {
            if (i >= min)
            {
                return i;
            }

            Problem(node, $"{what} must be an integer ≥ {min}; got {i}");
            return null;
        }

        Problem(node, $"{what} must be an integer{(min > int.MinValue ? $" ≥ {min}" : string.Empty)}; got {Describe(node)}");
        return null;
    }

    public double? Double(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: { } v } && TryParseDouble(v, out var d))
        {
            return d;
        }

        Problem(node, $"{what} must be a number; got {Describe(node)}");
        return null;
    }

    /// <summary>A duration: <c>90</c> (seconds), <c>500ms</c>, <c>30s</c>, <c>10m</c>, <c>2h</c>, <c>1h30m</c>.</summary>
    public TimeSpan? Duration(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: { } v } && TryParseDuration(v, out var t) && t > TimeSpan.Zero)
        {
            return t;
        }

        Problem(node, $"{what} must be a positive duration such as 90 (seconds), 500ms, 30s, 10m, 2h or 1h30m; got {Describe(node)}");
        return null;
    }

    public IReadOnlyList<YamlNode>? Sequence(YamlNode node, string what)
    {
        if (node is YamlSequenceNode s)
        {
            return [.. s.Children];
        }

        Problem(node, $"{what} must be a list; got {Describe(node)}");
        return null;
    }

    /// <summary>A scalar as a parameter value: integers as long, reals as double, true/false, null, else the string.</summary>
    public static object? Scalar(YamlScalarNode node)
    {
        var v = node.Value ?? string.Empty;
        if (node.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return v;
        }

        if (IsNull(node))
        {
            return null;
        }

        if (v is "true" or "True" or "TRUE")
        {
            return true;
        }

        if (v is "false" or "False" or "FALSE")
        {
            return false;
        }

        if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return l;
        }

        return TryParseDouble(v, out var d) ? d : v;
    }

    public static bool TryParseDouble(string v, out double d)
    {
        switch (v)
        {
            case ".inf" or ".Inf" or "inf" or "+inf" or "Infinity" or "+.inf":
                d = double.PositiveInfinity;
                return true;
            case "-.inf" or "-.Inf" or "-inf" or "-Infinity":
                d = double.NegativeInfinity;
                return true;
            case ".nan" or ".NaN" or "nan" or "NaN":
                d = double.NaN;
                return true;
            default:
                return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out d);
        }
    }

    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            if (!double.IsFinite(seconds) || seconds < 0 || seconds > 1e9)
            {
                return false;
            }

            value = TimeSpan.FromSeconds(seconds);
            return true;
        }

        var i = 0;
        var any = false;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(text[start..i], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }

            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }

            switch (text[unitStart..i])
            {
                case "ms": value += TimeSpan.FromMilliseconds(n); break;
                case "s": value += TimeSpan.FromSeconds(n); break;
                case "m": value += TimeSpan.FromMinutes(n); break;
                case "h": value += TimeSpan.FromHours(n); break;
                case "d": value += TimeSpan.FromDays(n); break;
                default: return false;
            }

            any = true;
        }

        return any;
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ when IsNull(node) => "nothing (null)",
        YamlScalarNode s => $"\"{s.Value}\"",
        _ => "something else",
    };
}
