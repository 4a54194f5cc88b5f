namespace Hone.MLNet.Resources;

/// <summary>A trial stopped because it passed its time or memory limit; the message says which and by how much.</summary>
internal sealed class TrialLimitException(string message) : Exception(message);
