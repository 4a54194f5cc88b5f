namespace Hone.Trials;

/// <summary>Thrown when something tries to change a trial that is already Complete, Pruned or Fail.</summary>
public sealed class TrialFinishedException : InvalidOperationException
{
    /// <summary>Creates the exception for a trial number and its final state.</summary>
    public TrialFinishedException(int trialNumber, TrialState state, string attempted)
        : base($"Trial #{trialNumber} is already finished ({state}); cannot {attempted}. A finished trial never changes.")
    {
        TrialNumber = trialNumber;
        State = state;
    }

    /// <summary>Creates the exception with a message.</summary>
    public TrialFinishedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TrialFinishedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public TrialFinishedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The number of the trial within its study.</summary>
    public int TrialNumber { get; }

    /// <summary>The state the trial already has.</summary>
    public TrialState State { get; }
}
