using System.Text;

namespace Hone.Cli.Sweep;

/// <summary>
/// <c>{name}</c> placeholders in command arguments and paths; <c>{{</c> and <c>}}</c> stand for braces.
/// Built-in names: <c>trial_number</c>, <c>study_name</c>, <c>params_file</c>, and with <c>scheduler: pbt</c>
/// <c>checkpoint_in</c>, <c>checkpoint_out</c>, <c>start_step</c>, <c>end_step</c>.
/// </summary>
internal static class Placeholders
{
    /// <summary>The placeholders of a population-based-training segment.</summary>
    public static readonly IReadOnlyList<string> SegmentNames = ["checkpoint_in", "checkpoint_out", "start_step", "end_step"];

    public static readonly IReadOnlyList<string> BuiltIn = ["trial_number", "study_name", "params_file", .. SegmentNames];

    /// <summary>The names a template refers to, or an error message.</summary>
    public static IReadOnlyList<string> Names(string template, out string? error)
    {
        var names = new List<string>();
        error = null;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '{' && i + 1 < template.Length && template[i + 1] == '{')
            {
                i++;
            }
            else if (c == '}' && i + 1 < template.Length && template[i + 1] == '}')
            {
                i++;
            }
            else if (c == '{')
            {
                var end = template.IndexOf('}', i + 1);
                if (end < 0)
                {
                    error = $"\"{template}\" has a \"{{\" without its \"}}\" (write {{{{ for a literal brace)";
                    return names;
                }

                names.Add(template[(i + 1)..end]);
                i = end;
            }
            else if (c == '}')
            {
                error = $"\"{template}\" has a \"}}\" without its \"{{\" (write }}}} for a literal brace)";
                return names;
            }
        }

        return names;
    }

    /// <summary>Replaces each placeholder with <paramref name="lookup"/>'s value; null when one has none (an inactive parameter).</summary>
    public static string? Expand(string template, Func<string, string?> lookup)
    {
        var sb = new StringBuilder(template.Length + 16);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                sb.Append(c);
                i++;
            }
            else if (c == '{')
            {
                var end = template.IndexOf('}', i + 1);
                var value = lookup(template[(i + 1)..end]);
                if (value is null)
                {
                    return null;
                }

                sb.Append(value);
                i = end;
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>Quotes a value for /bin/sh so that it is one word and nothing in it is interpreted.</summary>
    public static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Splits a command line into words the way a POSIX shell would (quotes and backslashes, no expansion).</summary>
    public static List<string>? SplitCommandLine(string line, out string? error)
    {
        error = null;
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (c == '\'')
            {
                var end = line.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    error = "unterminated single quote";
                    return null;
                }

                current.Append(line, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                i++;
                while (i < line.Length && line[i] != '"')
                {
                    if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\' or '$' or '`')
                    {
                        i++;
                    }

                    current.Append(line[i]);
                    i++;
                }

                if (i >= line.Length)
                {
                    error = "unterminated double quote";
                    return null;
                }
            }
            else if (c == '\\' && i + 1 < line.Length)
            {
                current.Append(line[++i]);
            }
            else
            {
                current.Append(c);
            }
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return words;
    }
}
