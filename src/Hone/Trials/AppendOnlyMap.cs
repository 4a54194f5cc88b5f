using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Hone.Trials;

/// <summary>
/// A map that only grows, whose snapshots cost O(1): a snapshot is a view of the first n entries of
/// arrays that are never overwritten, only replaced when they grow. A live trial's parameters grow one at
/// a time and a sampler sees a frozen view after each, without copying.
/// </summary>
/// <remarks>One writer; snapshots may be read from any thread.</remarks>
internal sealed class AppendOnlyMap<TKey, TValue>
    where TKey : notnull
{
    private TKey[] _keys = [];
    private TValue[] _values = [];
    private int _count;
    private View? _snapshot;

    public int Count => _count;

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_count > 16)
        {
            return Snapshot().TryGetValue(key, out value);
        }

        var comparer = EqualityComparer<TKey>.Default;
        for (var i = 0; i < _count; i++)
        {
            if (comparer.Equals(_keys[i], key))
            {
                value = _values[i];
                return true;
            }
        }

        value = default;
        return false;
    }

    public void Add(TKey key, TValue value)
    {
        if (_count == _keys.Length)
        {
            var capacity = Math.Max(8, _count * 2);
            var keys = new TKey[capacity];
            var values = new TValue[capacity];
            Array.Copy(_keys, keys, _count);
            Array.Copy(_values, values, _count);
            _keys = keys;
            _values = values;
        }

        _keys[_count] = key;
        _values[_count] = value;
        _count++;
    }

    /// <summary>A frozen view of the entries so far; the same view until the next <see cref="Add"/>.</summary>
    public IReadOnlyDictionary<TKey, TValue> Snapshot() => _snapshot is { } s && s.Count == _count ? s : _snapshot = new View(_keys, _values, _count);

    private sealed class View(TKey[] keys, TValue[] values, int count) : IReadOnlyDictionary<TKey, TValue>
    {
        private Dictionary<TKey, int>? _index;

        public int Count => count;

        public IEnumerable<TKey> Keys => keys.Take(count);

        public IEnumerable<TValue> Values => values.Take(count);

        public TValue this[TKey key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"No entry \"{key}\".");

        public bool ContainsKey(TKey key) => IndexOf(key) >= 0;

        public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
        {
            var i = IndexOf(key);
            if (i < 0)
            {
                value = default;
                return false;
            }

            value = values[i];
            return true;
        }

        public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator()
        {
            for (var i = 0; i < count; i++)
            {
                yield return new KeyValuePair<TKey, TValue>(keys[i], values[i]);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private int IndexOf(TKey key)
        {
            if (count <= 16)
            {
                var comparer = EqualityComparer<TKey>.Default;
                for (var i = 0; i < count; i++)
                {
                    if (comparer.Equals(keys[i], key))
                    {
                        return i;
                    }
                }

                return -1;
            }

            if (_index is null)
            {
                var index = new Dictionary<TKey, int>(count);
                for (var i = 0; i < count; i++)
                {
                    index[keys[i]] = i;
                }

                _index = index;
            }

            return _index.TryGetValue(key, out var at) ? at : -1;
        }
    }
}
