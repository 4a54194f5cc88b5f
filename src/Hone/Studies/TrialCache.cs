using Hone.Storage;
using Hone.Trials;

namespace Hone.Studies;

/// <summary>
/// The study's in-memory copy of its trials, kept current by asking the storage only for the trials that
/// changed since the last version seen, so that samplers read history without reloading it.
/// </summary>
/// <remarks>
/// A change replaces the changed trials in the cache's own arrays (by number, each trial's state in a compact array
/// beside it). A list handed out is a snapshot that never changes; the next one after a change shares the first
/// snapshot's chunks before the first changed trial and rebuilds only the rest (<see cref="TrialSnapshotList"/>), so a
/// change to a recent trial (a system attribute, a param, a new trial) costs about a chunk, not the whole history.
/// </remarks>
internal sealed class TrialCache(IStorage storage, long studyId)
{
    private const int AllStates = (1 << 5) - 1;

    private readonly Lock _gate = new();
    private readonly Dictionary<int, FilteredView> _views = [];
    private FrozenTrial?[] _byNumber = [];
    private byte[] _stateBits = [];
    private int _count;
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
            mask = AllStates;
        }

        lock (_gate)
        {
            Refresh();
            if (!_views.TryGetValue(mask, out var view))
            {
                view = new FilteredView();
                _views[mask] = view;
            }
            else if (view.Generation == _refreshes)
            {
                return view.Trials;
            }

            var old = view.Trials;
            // Whole chunks before the first changed trial are shared; the rest is rescanned from the first trial of its chunk.
            var keep = old.LowerBound(view.DirtyFrom) >> TrialSnapshotList.ChunkBits << TrialSnapshotList.ChunkBits;
            var from = keep < old.Count ? Math.Min(old[keep].Number, view.DirtyFrom) : view.DirtyFrom;
            var rebuilt = old.Continue(keep, Scan(mask, from));
            view.Trials = rebuilt;
            view.Generation = _refreshes;
            view.DirtyFrom = int.MaxValue;
            return rebuilt;
        }
    }

    public FrozenTrial? ByNumber(int number)
    {
        lock (_gate)
        {
            Refresh();
            return number >= 0 && number < _count ? _byNumber[number] : null;
        }
    }

    /// <summary>The cached trials from number <paramref name="from"/> on whose state is in <paramref name="mask"/>.</summary>
    private IEnumerable<FrozenTrial> Scan(int mask, int from)
    {
        for (var n = Math.Max(0, from); n < _count; n++)
        {
            if ((mask & _stateBits[n]) != 0)
            {
                yield return _byNumber[n]!;
            }
        }
    }

    private void Refresh()
    {
        var changes = storage.GetTrialsChangedSince(studyId, Math.Max(0, _version));
        // A storage may report trials at an unchanged version (PostgreSQL's version is the oldest running
        // transaction, which can stay put while newer ones commit), so only "no trials" means "no change".
        if (changes.Version == _version && changes.Trials.Count == 0)
        {
            return;
        }

        var firstChanged = int.MaxValue;
        foreach (var t in changes.Trials)
        {
            firstChanged = Math.Min(firstChanged, t.Number);
            if (t.Number >= _count)
            {
                Grow(t.Number + 1);
            }

            _byNumber[t.Number] = t;
            _stateBits[t.Number] = (byte)(1 << (int)t.State);
        }

        foreach (var view in _views.Values)
        {
            view.DirtyFrom = Math.Min(view.DirtyFrom, firstChanged);
        }

        _version = changes.Version;
        _refreshes++;
    }

    private void Grow(int count)
    {
        if (count > _byNumber.Length)
        {
            var capacity = Math.Max(count, Math.Max(16, _byNumber.Length * 2));
            Array.Resize(ref _byNumber, capacity);
            Array.Resize(ref _stateBits, capacity);
        }

        // Numbers between the old count and the new trial stay unknown (null, no state bit) until the storage reports them.
        _count = count;
    }

    /// <summary>The last snapshot of one set of states, and the first trial number that changed since it was taken.</summary>
    private sealed class FilteredView
    {
        public TrialSnapshotList Trials { get; set; } = TrialSnapshotList.Empty;

        public long Generation { get; set; } = -1;

        public int DirtyFrom { get; set; }
    }
}
