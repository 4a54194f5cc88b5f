using System.Text.RegularExpressions;

namespace Hone.Cli.Output;

/// <summary>
/// The last line of defence between an exception and the user: passwords masked, .NET's parameter suffixes and
/// type names put in the user's words. Messages should be right at their source; this catches what is not.
/// </summary>
internal static partial class Messages
{
    /// <summary>An exception's message as the CLI prints it.</summary>
    public static string Of(Exception e)
    {
        var text = e.Message;
        if (e is ArgumentException { ParamName: { } name })
        {
            var suffix = $" (Parameter '{name}')";
            if (text.EndsWith(suffix, StringComparison.Ordinal))
            {
                text = text[..^suffix.Length];
            }
        }

        if (e is ArgumentOutOfRangeException)
        {
            text = ActualValue().Replace(text, string.Empty);
        }

        return Clean(text);
    }

    /// <summary>Masks passwords and rewrites .NET-isms in any text about to be printed.</summary>
    public static string Clean(string text)
    {
        text = ExceptionTypePrefix().Replace(text, string.Empty);
        text = UrlPassword().Replace(text, "$1***@");
        text = KeywordPassword().Replace(text, "$1***");
        text = ParameterSuffix().Replace(text, string.Empty);
        text = ExpectedType().Replace(text, m => "expected " + TypeInWords(m.Groups[1].Value));
        return text;
    }

    /// <summary>A .NET type name as the user would say it.</summary>
    public static string TypeInWords(string typeName) => typeName switch
    {
        _ when typeName.Contains("Int32", StringComparison.Ordinal) => "a whole number from -2147483648 to 2147483647",
        _ when typeName.Contains("Int64", StringComparison.Ordinal) => "a whole number",
        _ when typeName.Contains("Double", StringComparison.Ordinal) || typeName.Contains("Single", StringComparison.Ordinal) => "a number",
        _ when typeName.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ when typeName.Contains("TimeSpan", StringComparison.Ordinal) => "a duration such as 90 (seconds), 30s, 10m or 2h",
        _ => "a value of another kind",
    };

    // "password" and "..." are the placeholders of help texts (postgresql://user:password@host), not passwords.
    // "System.InvalidOperationException: " before a stored fail reason: the message alone says what happened.
    [GeneratedRegex(@"(?<=^|[\s|(])(?:[A-Za-z_][A-Za-z0-9_]*\.)+[A-Za-z_][A-Za-z0-9_]*Exception: ")]
    private static partial Regex ExceptionTypePrefix();

    [GeneratedRegex(@"(://[^/\s:@]*:)(?!password@)[^@/\s]*@")]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"(?i)((?:password|pwd)\s*=\s*)(?!\.\.\.)('[^']*'|[^;\s)]+)")]
    private static partial Regex KeywordPassword();

    [GeneratedRegex(@"\r?\nActual value was .*$")]
    private static partial Regex ActualValue();

    [GeneratedRegex(@" ?\(Parameter '[^']*'\)")]
    private static partial Regex ParameterSuffix();

    [GeneratedRegex(@"as expected type '([^']*)'")]
    private static partial Regex ExpectedType();
}
