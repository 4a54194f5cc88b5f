namespace Hone.Trials;

/// <summary>
/// Thrown by an objective (usually after <see cref="Trial.ShouldPrune"/> returned true) to end the
/// trial as <see cref="TrialState.Pruned"/>. The optimize loop records it and goes on.
/// </summary>
public sealed class TrialPrunedException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public TrialPrunedException()
        : base("The trial was pruned.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TrialPrunedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public TrialPrunedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
