namespace Hone.Samplers;

/// <summary>
/// A sampler could not propose a value (a parameter missing from a grid, a continuous parameter given to a
/// brute-force sampler, a space too large for a quasi-random sequence). The trial is recorded as Fail with
/// this message, and the optimize run stops whatever <see cref="Studies.OptimizeOptions.Catch"/> says,
/// because every following trial would fail the same way.
/// </summary>
public sealed class SamplerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SamplerException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SamplerException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the sampler's own exception.</summary>
    public SamplerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
