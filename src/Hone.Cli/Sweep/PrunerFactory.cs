using Hone.Pruners;

namespace Hone.Cli.Sweep;

/// <summary>Pruner names in a sweep file and the options each takes (Optuna's names, in snake_case).</summary>
internal static class PrunerFactory
{
    public static readonly IReadOnlyList<string> Names = ["none"];

    /// <summary>Builds a factory for the named pruner, or returns null after recording problems.</summary>
    public static Func<IPruner>? Create(string name, OptionReader o)
    {
        switch (name)
        {
            case "none" or "nop":
                o.Allow();
                return () => NopPruner.Instance;
            default:
                o.Problem("name", $"unknown pruner \"{name}\"; {KeySuggestions.Hint(name, [.. Names])}");
                return null;
        }
    }
}
