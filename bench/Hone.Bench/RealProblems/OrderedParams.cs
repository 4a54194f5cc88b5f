namespace Hone.Bench.RealProblems;

/// <summary>
/// Parameter values in the order they were suggested (a <see cref="Dictionary{TKey, TValue}"/> enumerates in insertion
/// order only while nothing is removed, which holds here), so that their JSON and cache keys follow the file's order.
/// </summary>
internal sealed class OrderedParams : Dictionary<string, object?>
{
    public OrderedParams()
        : base(StringComparer.Ordinal)
    {
    }
}
