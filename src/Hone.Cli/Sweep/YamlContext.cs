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
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or IndexOutOfRangeException
            or KeyNotFoundException or NullReferenceException)
        {
            // YamlDotNet fails this way on some malformed text (unterminated flow collections, stray indicators), without
            // a mark: report where parsing stopped. Its own YamlException carries a mark and is handled below.
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

    /// <summary>An ArgumentException's message for a user: without the " (Parameter 'options')" .NET appends.</summary>
    public static string MessageOf(ArgumentException e)
    {
        var suffix = e.ParamName is null ? null : $" (Parameter '{e.ParamName}')";
        return suffix is not null && e.Message.EndsWith(suffix, StringComparison.Ordinal) ? e.Message[..^suffix.Length] : e.Message;
    }

    /// <summary>Records a problem at every key or value that contains a NUL character.</summary>
    /// <remarks>Walks without recursion and visits each node once: aliases can make the tree a graph.</remarks>
    public void CheckNoNul(YamlNode root)
    {
        var seen = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<YamlNode>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (!seen.Add(node))
            {
                continue;
            }

            switch (node)
            {
                case YamlScalarNode { Value: { } v } when v.Contains('\0', StringComparison.Ordinal):
                    Problem(node, $"{Describe(node).Replace("\0", "\\0", StringComparison.Ordinal)} contains a NUL character (\\0), which no program argument, " +
                        "path, environment variable or parameter value can carry; remove it");
                    break;
                case YamlMappingNode m:
                    foreach (var (k, v) in m.Children)
                    {
                        pending.Push(v);
                        pending.Push(k);
                    }

                    break;
                case YamlSequenceNode q:
                    foreach (var item in q.Children)
                    {
                        pending.Push(item);
                    }

                    break;
            }
        }
    }

    /// <summary>The most aliases (<c>*name</c>) a sweep file may use: each can stand for a whole list or mapping.</summary>
    public const int MaxAliases = 100;

    /// <summary>
    /// Remembers where the last event ended, to place errors the library reports without a mark, and refuses an
    /// alias to a list or mapping that is still open (<c>&amp;a [*a]</c>): the tree would contain itself, and
    /// YamlDotNet's hashing of such a key recurses until the stack overflows.
    /// </summary>
    private sealed class MarkTrackingParser(IParser inner) : IParser
    {
        private readonly List<string> _open = [];
        private int _aliases;

        public Mark Last { get; private set; } = Mark.Empty;

        public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            switch (inner.Current)
            {
                case YamlDotNet.Core.Events.SequenceStart start:
                    _open.Add(start.Anchor.IsEmpty ? string.Empty : start.Anchor.Value);
                    break;
                case YamlDotNet.Core.Events.MappingStart start:
                    _open.Add(start.Anchor.IsEmpty ? string.Empty : start.Anchor.Value);
                    break;
                case YamlDotNet.Core.Events.SequenceEnd or YamlDotNet.Core.Events.MappingEnd when _open.Count > 0:
                    _open.RemoveAt(_open.Count - 1);
                    break;
                case YamlDotNet.Core.Events.AnchorAlias alias:
                    if (++_aliases > MaxAliases)
                    {
                        throw new YamlException(alias.Start, alias.End, $"more than {MaxAliases} aliases (*name); a sweep file may use at most {MaxAliases}");
                    }

                    if (_open.Contains(alias.Value.Value))
                    {
                        throw new YamlException(alias.Start, alias.End,
                            $"the alias *{alias.Value.Value} refers to a list or mapping that contains it; a sweep file cannot be recursive");
                    }

                    break;
            }

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

    /// <summary>A positive duration (see <see cref="DurationText"/>), at most <see cref="DurationText.Max"/>.</summary>
    public TimeSpan? Duration(YamlNode node, string what)
    {
        if (node is not YamlScalarNode { Value: { } v } || IsNull(node))
        {
            Problem(node, $"{what} must be a positive duration such as {DurationText.Forms}; got {Describe(node)}");
            return null;
        }

        var problem = DurationText.Problem(v, out var t);
        if (problem is not null && problem.StartsWith("is longer", StringComparison.Ordinal))
        {
            Problem(node, $"{what} \"{v}\" {problem}");
            return null;
        }

        if (problem is not null || t <= TimeSpan.Zero)
        {
            Problem(node, $"{what} must be a positive duration such as {DurationText.Forms}; got {Describe(node)}");
            return null;
        }

        return t;
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

    /// <summary>A duration of zero up to <see cref="DurationText.Max"/> (kept for the command-line flags; see <see cref="DurationText"/>).</summary>
    public static bool TryParseDuration(string text, out TimeSpan value) => DurationText.TryParse(text, out value);

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ when IsNull(node) => "nothing (null)",
        YamlScalarNode s => $"\"{s.Value}\"",
        _ => "something else",
    };
}
