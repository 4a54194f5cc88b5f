using System.Collections;
using Hone.Trials;

namespace Hone.Studies;

/// <summary>
/// A read-only list of trials that never changes once built, stored as fixed-size chunks that a later snapshot
/// shares where nothing changed: the next snapshot after a change to the newest trials copies only the chunks from
/// the first changed one on (and the small array of chunks), not the whole history.
/// </summary>
internal sealed class TrialSnapshotList : IList<FrozenTrial>, IReadOnlyList<FrozenTrial>
{
    internal const int ChunkBits = 6;
    internal const int ChunkSize = 1 << ChunkBits;

    public static readonly TrialSnapshotList Empty = new([], 0);

    private readonly FrozenTrial[][] _chunks;

    private TrialSnapshotList(FrozenTrial[][] chunks, int count)
    {
        _chunks = chunks;
        Count = count;
    }

    public int Count { get; }

    public bool IsReadOnly => true;

    public FrozenTrial this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The list has {Count} trials.");
            }

            return _chunks[index >> ChunkBits][index & (ChunkSize - 1)];
        }
        set => throw ReadOnly();
    }

    /// <summary>
    /// A new snapshot that shares this one's first <paramref name="keep"/> trials (a multiple of <see cref="ChunkSize"/>,
    /// at most <see cref="Count"/>) and continues with the trials <paramref name="tail"/> yields.
    /// </summary>
    public TrialSnapshotList Continue(int keep, IEnumerable<FrozenTrial> tail)
    {
        var sharedChunks = keep >> ChunkBits;
        var chunks = new List<FrozenTrial[]>(_chunks.Length + 1);
        for (var c = 0; c < sharedChunks; c++)
        {
            chunks.Add(_chunks[c]);
        }

        var count = keep;
        FrozenTrial[]? current = null;
        foreach (var t in tail)
        {
            var slot = count & (ChunkSize - 1);
            if (slot == 0)
            {
                current = new FrozenTrial[ChunkSize];
                chunks.Add(current);
            }

            current![slot] = t;
            count++;
        }

        return new TrialSnapshotList([.. chunks], count);
    }

    /// <summary>The first position whose trial has a number of at least <paramref name="number"/> (Count if none).</summary>
    public int LowerBound(int number)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (this[mid].Number < number)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    public int IndexOf(FrozenTrial item)
    {
        for (var i = 0; i < Count; i++)
        {
            if (EqualityComparer<FrozenTrial>.Default.Equals(this[i], item))
            {
                return i;
            }
        }

        return -1;
    }

    public bool Contains(FrozenTrial item) => IndexOf(item) >= 0;

    public void CopyTo(FrozenTrial[] array, int arrayIndex)
    {
        ArgumentNullException.ThrowIfNull(array);
        for (var c = 0; c * ChunkSize < Count; c++)
        {
            var n = Math.Min(ChunkSize, Count - (c * ChunkSize));
            Array.Copy(_chunks[c], 0, array, arrayIndex + (c * ChunkSize), n);
        }
    }

    public IEnumerator<FrozenTrial> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return _chunks[i >> ChunkBits][i & (ChunkSize - 1)];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Add(FrozenTrial item) => throw ReadOnly();

    public void Clear() => throw ReadOnly();

    public void Insert(int index, FrozenTrial item) => throw ReadOnly();

    public bool Remove(FrozenTrial item) => throw ReadOnly();

    public void RemoveAt(int index) => throw ReadOnly();

    private static NotSupportedException ReadOnly() => new("The study's list of trials is read-only.");
}
