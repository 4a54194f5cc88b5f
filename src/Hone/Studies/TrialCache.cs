using Hone.Storage;
using Hone.Trials;

namespace Hone.Studies;

/// <summary>
/// The study's in-memory copy of its trials, kept current by asking the storage only for the trials that
/// changed since the last version seen, so that samplers read history without reloading it.
/// </summary>
internal sealed class TrialCache(IStorage storage, long studyId)
{
    private readonly Lock _gate = new();
    private readonly List<FrozenTrial?> _byNumber = [];
    private readonly Dictionary<int, FilteredView> _views = [];
    private long _version = -1;
    private long _refreshes;

    /// <summary>Bumped whenever the cached trials change; lets samplers key their own caches.</summary>
    public long Generation
    {
        get
        {
            lock (_gate)
            {
                Refresh();
                return _refreshes;
            }
        }
    }

    public IReadOnlyList<FrozenTrial> Get(ReadOnlySpan<TrialState> states)
    {
        var mask = 0;
        foreach (var s in states)
        {
            mask |= 1 << (int)s;
        }

        if (mask == 0)
        {
            mask = (1 << 5) - 1;
        }

        lock (_gate)
        {
            Refresh();
            if (_views.TryGetValue(mask, out var view) && view.Generation == _refreshes)
            {
                return view.Trials;
            }

            var list = new List<FrozenTrial>(_byNumber.Count);
            foreach (var t in _byNumber)
            {
                if (t is not null && (mask & (1 << (int)t.State)) != 0)
                {
                    list.Add(t);
                }
            }

            var trials = list.AsReadOnly();
            _views[mask] = new FilteredView(_refreshes, trials);
            return trials;
        }
    }

    public FrozenTrial? ByNumber(int number)
    {
        lock (_gate)
        {
            Refresh();
            return number >= 0 && number < _byNumber.Count ? _byNumber[number] : null;
        }
    }

    private void Refresh()
    {
        var changes = storage.GetTrialsChangedSince(studyId, Math.Max(0, _version));
        if (changes.Version == _version)
        {
            return;
        }

        foreach (var t in changes.Trials)
        {
            while (_byNumber.Count <= t.Number)
            {
                _byNumber.Add(null);
            }

            _byNumber[t.Number] = t;
        }

        _version = changes.Version;
        _refreshes++;
    }

    private sealed record FilteredView(long Generation, IReadOnlyList<FrozenTrial> Trials);
}
