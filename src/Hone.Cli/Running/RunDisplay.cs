using Hone.Studies;
using Hone.Trials;

namespace Hone.Cli.Running;

/// <summary>What <c>hone optimize</c> shows while it runs: a live view on a terminal, plain lines, JSON lines, or nothing.</summary>
internal abstract class RunDisplay : IDisposable
{
    /// <summary>Called once before the first trial.</summary>
    public virtual void Started(RunState state)
    {
    }

    public virtual void TrialStarted(RunState state, int number, IReadOnlyDictionary<string, object?> parameters)
    {
    }

    public abstract void TrialFinished(RunState state, FrozenTrial trial, TrialOutcome outcome);

    /// <summary>A note or warning.</summary>
    public abstract void Note(string text);

    public abstract void Finished(RunState state, Study study, int exitCode);

    public virtual void Dispose()
    {
        GC.SuppressFinalize(this);
    }
}
