namespace Hone.Cli.Sweep;

/// <summary>A sweep file that cannot be used: every problem found, each as <c>file:line:column: message</c>.</summary>
internal sealed class SweepException : Exception
{
    public SweepException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    public SweepException(string problem)
        : this([problem])
    {
    }

    public SweepException()
        : this("invalid sweep file")
    {
    }

    public SweepException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public IReadOnlyList<string> Problems { get; } = [];
}
