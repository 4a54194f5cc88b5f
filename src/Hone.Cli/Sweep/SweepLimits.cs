namespace Hone.Cli.Sweep;

/// <summary>
/// Limits checked on the raw text of a sweep file before the YAML parser sees it: its size, and how deeply its
/// lists and mappings nest. The parser recurses once per level of nesting (35,000 nested <c>[</c> overflow the
/// stack, which no handler can catch) and slows down sharply long before that, so the depth is estimated by a
/// cheap scan that may count too deep, never too shallow.
/// </summary>
/// <remarks>
/// The scan counts every <c>[</c> and <c>{</c>, even inside quotes, comments and block scalars, so that a mistake in
/// telling text from structure can only over-count. A closing bracket inside such text only cancels an opening one
/// of the same text, so balanced brackets in a regex or a shell line cost nothing. Block nesting is estimated from
/// the indentation (one level per deeper indent) plus the compact indicators at the start of a line
/// (<c>- - - x</c> nests three lists).
/// </remarks>
internal static class SweepLimits
{
    /// <summary>The largest sweep file read: 1 MiB. Sweep files are a few hundred bytes.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The deepest nesting of lists and mappings accepted (a sweep file needs about 5).</summary>
    public const int MaxDepth = 100;

    /// <summary>Says why a file of this many bytes is refused, or null.</summary>
    public static string? SizeProblem(string fileName, long bytes) =>
        bytes > MaxBytes
            ? $"{fileName}: the sweep file is {bytes} bytes; a sweep file may be at most 1 MiB ({MaxBytes} bytes)"
            : null;

    /// <summary>Says why the text is refused (too large, or nested too deeply, at <c>file:line:column</c>), or null.</summary>
    public static string? Problem(string fileName, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxBytes)
        {
            return $"{fileName}: the sweep file has {text.Length} characters; a sweep file may be at most 1 MiB ({MaxBytes} bytes)";
        }

        return new Scan(fileName, text).Run();
    }

    /// <summary>One pass over the text; the state of where the scan is (quote, block scalar) and how deep.</summary>
    private sealed class Scan(string fileName, string text)
    {
        private readonly List<int> _indents = [];
        private int _flow;
        private int _local;
        private char _quote;
        private int _blockScalarIndent = -1;
        private int _line;

        public string? Run()
        {
            var start = 0;
            _line = 1;
            while (start <= text.Length)
            {
                var end = text.IndexOf('\n', start);
                if (end < 0)
                {
                    end = text.Length;
                }

                var line = text.AsSpan(start, end - start).TrimEnd('\r');
                if (Line(line) is { } problem)
                {
                    return problem;
                }

                start = end + 1;
                _line++;
            }

            return null;
        }

        private string TooDeep(int column, int depth) =>
            $"{fileName}:{_line}:{column + 1}: the sweep file nests lists and mappings {depth} deep here; at most {MaxDepth} levels are allowed " +
            "(a sweep file needs about 5: check for runaway brackets or indentation)";

        private string? Line(ReadOnlySpan<char> line)
        {
            var indent = 0;
            while (indent < line.Length && line[indent] is ' ' or '\t')
            {
                indent++;
            }

            var blank = indent == line.Length;
            var inBlockScalar = _blockScalarIndent >= 0 && (blank || indent > _blockScalarIndent);
            if (_blockScalarIndent >= 0 && !inBlockScalar)
            {
                _blockScalarIndent = -1;
                _local = 0;
            }

            var compact = CompactIndicators(line, indent);
            var afterKey = line.IndexOf(": ", StringComparison.Ordinal);
            if (afterKey >= 0)
            {
                compact = Math.Max(compact, CompactIndicators(line, afterKey + 2));
            }

            if (!blank && !inBlockScalar && _quote == '\0' && line[indent] != '#')
            {
                while (_indents.Count > 0 && _indents[^1] >= indent)
                {
                    _indents.RemoveAt(_indents.Count - 1);
                }

                _indents.Add(indent);
            }

            if (_indents.Count + compact + _flow > MaxDepth)
            {
                return TooDeep(indent, _indents.Count + compact + _flow);
            }

            return inBlockScalar ? Text(line) : Structure(line, indent);
        }

        /// <summary>How many "- ", "? " or ": " indicators open the line (each nests one level more).</summary>
        private static int CompactIndicators(ReadOnlySpan<char> line, int i)
        {
            while (i < line.Length && line[i] is ' ' or '\t')
            {
                i++;
            }

            var count = 0;
            while (i < line.Length && line[i] is '-' or '?' or ':' && (i + 1 == line.Length || line[i + 1] is ' ' or '\t'))
            {
                count++;
                i += 2;
                while (i < line.Length && line[i] is ' ' or '\t')
                {
                    i++;
                }
            }

            return count;
        }

        /// <summary>A line of a block scalar: text, where brackets only cancel their own.</summary>
        private string? Text(ReadOnlySpan<char> line, int offset = 0)
        {
            for (var i = 0; i < line.Length; i++)
            {
                if (Bracket(line[i], inText: true, offset + i) is { } problem)
                {
                    return problem;
                }
            }

            return null;
        }

        private string? Structure(ReadOnlySpan<char> line, int indent)
        {
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (_quote != '\0')
                {
                    if (c == '\\' && _quote == '"')
                    {
                        i++;
                    }
                    else if (c == _quote)
                    {
                        if (_quote == '\'' && i + 1 < line.Length && line[i + 1] == '\'')
                        {
                            i++;
                        }
                        else
                        {
                            _quote = '\0';
                            _local = 0;
                        }
                    }
                    else if (Bracket(c, inText: true, i) is { } problem)
                    {
                        return problem;
                    }

                    continue;
                }

                var valueStart = i == 0 || line[i - 1] is ' ' or '\t' or '[' or '{' or ',' or ':' or '?' or '-';
                if (c is '"' or '\'' && valueStart)
                {
                    _quote = c;
                    _local = 0;
                    continue;
                }

                if (c == '#' && (i == 0 || line[i - 1] is ' ' or '\t'))
                {
                    _local = 0;
                    var problem = Text(line[i..], i);
                    _local = 0;
                    return problem;
                }

                if (c is '|' or '>' && valueStart && IsBlockScalarHeader(line[(i + 1)..]))
                {
                    _blockScalarIndent = indent;
                    _local = 0;
                    return Text(line[(i + 1)..], i + 1);
                }

                if (Bracket(c, inText: false, i) is { } p)
                {
                    return p;
                }
            }

            return null;
        }

        /// <summary>Whether what follows | or > is a block scalar header: indicators, then nothing or a comment.</summary>
        private static bool IsBlockScalarHeader(ReadOnlySpan<char> rest)
        {
            var i = 0;
            while (i < rest.Length && (char.IsAsciiDigit(rest[i]) || rest[i] is '+' or '-'))
            {
                i++;
            }

            while (i < rest.Length && rest[i] is ' ' or '\t')
            {
                i++;
            }

            return i == rest.Length || rest[i] == '#';
        }

        /// <summary>Counts an opening bracket always; a closing one cancels a structural one, or in text only one of that text.</summary>
        private string? Bracket(char c, bool inText, int column)
        {
            if (c is '[' or '{')
            {
                _flow++;
                if (inText)
                {
                    _local++;
                }

                var depth = _indents.Count + _flow;
                return depth > MaxDepth ? TooDeep(column, depth) : null;
            }

            if (c is ']' or '}')
            {
                if (inText)
                {
                    if (_local > 0)
                    {
                        _local--;
                        _flow--;
                    }
                }
                else if (_flow > 0)
                {
                    _flow--;
                }
            }

            return null;
        }
    }
}
