using Hone.Storage;
using Hone.Trials;

namespace Hone.Dashboard;

/// <summary>
/// One study's trials held in memory and brought up to date with the storage's changes since the last read
/// (<see cref="IStorage.GetTrialsChangedSince"/>), so a poll costs only what changed.
/// </summary>
internal sealed class TrialCacheEntry(IStorage storage, long studyId)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, FrozenTrial> _byId = [];
    private FrozenTrial[] _ordered = [];
    private long _version = -1;

    /// <summary>Every trial by number, and the storage's change version they are current to.</summary>
    public (FrozenTrial[] Trials, long Version) Refresh()
    {
        lock (_gate)
        {
            var changes = storage.GetTrialsChangedSince(studyId, Math.Max(0, _version));
            if (_version < 0 || changes.Trials.Count > 0)
            {
                foreach (var t in changes.Trials)
                {
                    _byId[t.TrialId] = t;
                }

                _ordered = [.. _byId.Values.OrderBy(t => t.Number)];
            }

            _version = Math.Max(_version, changes.Version);
            return (_ordered, _version);
        }
    }
}
