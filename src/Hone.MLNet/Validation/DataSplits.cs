namespace Hone.MLNet.Validation;

/// <summary>The test split that is taken off before tuning.</summary>
public static class DataSplits
{
    /// <summary>
    /// Splits rows 0..n−1 into tuning rows and test rows. Classification splits per class (stratified);
    /// <paramref name="keepOrder"/> takes the last rows as the test set (time-ordered data).
    /// </summary>
    /// <param name="labels">Every row's label (class index for classification).</param>
    /// <param name="testFraction">The share of rows held out, in [0, 1); 0 keeps every row for tuning.</param>
    /// <param name="stratified">Keep each class's share in both parts.</param>
    /// <param name="keepOrder">Take the last rows instead of a random sample.</param>
    /// <param name="seed">The shuffle seed.</param>
    /// <returns>Both parts, ascending row ids.</returns>
    public static (int[] Tuning, int[] Test) TestSplit(IReadOnlyList<double> labels, double testFraction, bool stratified, bool keepOrder, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (!(testFraction >= 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be in [0, 1).");
        }

        var rows = Enumerable.Range(0, labels.Count).ToArray();
        HashSet<int> test;
        if (keepOrder)
        {
            var count = (int)Math.Round(testFraction * rows.Length);
            test = [.. rows.Skip(rows.Length - count)];
        }
        else
        {
            test = Sample(rows, labels, testFraction, stratified, new Random(seed));
        }

        return (rows.Where(r => !test.Contains(r)).ToArray(), test.Order().ToArray());
    }

    /// <summary>A random share of the rows, per class when stratified (each class gives round(fraction × its count) rows).</summary>
    internal static HashSet<int> Sample(IReadOnlyList<int> rows, IReadOnlyList<double> labels, double fraction, bool stratified, Random random)
    {
        var chosen = new HashSet<int>();
        IEnumerable<IEnumerable<int>> groups = stratified ? rows.GroupBy(r => labels[r]).OrderBy(g => g.Key) : [rows];
        foreach (var group in groups)
        {
            var array = group.ToArray();
            random.Shuffle(array);
            var count = (int)Math.Round(fraction * array.Length);
            foreach (var r in array.Take(count))
            {
                chosen.Add(r);
            }
        }

        return chosen;
    }
}
