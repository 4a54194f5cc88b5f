using System.Globalization;

namespace Hone.MLNet.Validation;

/// <summary>
/// How each trial is scored on the tuning rows (the rows left after the test split): hold-out, k-fold,
/// stratified k-fold, repeated k-fold, or a time-ordered split.
/// </summary>
/// <remarks>Splits are deterministic given the seed; the tuner records the seed in its result.</remarks>
public abstract class ValidationStrategy
{
    private protected ValidationStrategy()
    {
    }

    /// <summary>Whether the strategy keeps rows in their order (time-ordered data); the test split then takes the last rows.</summary>
    public virtual bool KeepsOrder => false;

    /// <summary>The number of folds a trial is scored on.</summary>
    public abstract int FoldCount { get; }

    /// <summary>A short description, e.g. "stratified 5-fold".</summary>
    public abstract string Description { get; }

    /// <summary>One split: fit on 1 − <paramref name="validationFraction"/> of the rows, score on the rest (stratified when <paramref name="stratified"/>).</summary>
    public static ValidationStrategy HoldOut(double validationFraction = 0.2, bool stratified = true) => new HoldOutStrategy(validationFraction, stratified);

    /// <summary>k folds of shuffled rows; each row is validated once.</summary>
    public static ValidationStrategy KFold(int folds = 5) => new KFoldStrategy(folds, 1, stratified: false);

    /// <summary>k folds in which every class keeps its share of rows (classification).</summary>
    public static ValidationStrategy StratifiedKFold(int folds = 5) => new KFoldStrategy(folds, 1, stratified: true);

    /// <summary>k-fold repeated with different shuffles; folds × repeats scores per trial.</summary>
    public static ValidationStrategy RepeatedKFold(int folds = 5, int repeats = 2, bool stratified = true) => new KFoldStrategy(folds, repeats, stratified);

    /// <summary>
    /// For rows in time order: the rows are cut into <paramref name="folds"/> + 1 consecutive blocks, and fold i fits on
    /// blocks 0..i and scores on block i + 1 (an expanding window; nothing is shuffled).
    /// </summary>
    public static ValidationStrategy TimeOrdered(int folds = 5) => new TimeOrderedStrategy(folds);

    /// <summary>Parses a command-line form: holdout[:fraction], kfold[:k], stratified[:k], repeated[:k[:repeats]], time[:k].</summary>
    /// <exception cref="ArgumentException">The text is not a strategy.</exception>
    public static ValidationStrategy Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().ToUpperInvariant().Split(':');
        int Int(int i, int fallback) => parts.Length > i ? int.Parse(parts[i], CultureInfo.InvariantCulture) : fallback;
        try
        {
            return parts[0] switch
            {
                "HOLDOUT" => HoldOut(parts.Length > 1 ? double.Parse(parts[1], CultureInfo.InvariantCulture) : 0.2),
                "KFOLD" => KFold(Int(1, 5)),
                "STRATIFIED" or "STRATIFIEDKFOLD" => StratifiedKFold(Int(1, 5)),
                "REPEATED" or "REPEATEDKFOLD" => RepeatedKFold(Int(1, 5), Int(2, 2)),
                "TIME" or "TIMEORDERED" => TimeOrdered(Int(1, 5)),
                _ => throw new FormatException(),
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new ArgumentException(
                $"Unknown validation \"{text}\"; use holdout[:fraction], kfold[:k], stratified[:k], repeated[:k[:repeats]] or time[:k].", nameof(text));
        }
    }

    /// <summary>Splits the tuning rows into folds.</summary>
    /// <param name="rows">The tuning rows' ids (indices into <paramref name="labels"/>), in data order.</param>
    /// <param name="labels">Every row's label (a class index for classification).</param>
    /// <param name="classification">Whether labels are classes (stratification applies only then).</param>
    /// <param name="seed">The shuffle seed.</param>
    /// <exception cref="ArgumentException">Too few rows (or too few rows of a class) for the folds.</exception>
    public abstract IReadOnlyList<Fold> Split(IReadOnlyList<int> rows, IReadOnlyList<double> labels, bool classification, int seed);

    /// <summary>Checks that the rows can be split; null when they can, else what is wrong.</summary>
    public abstract string? Problem(IReadOnlyList<int> rows, IReadOnlyList<double> labels, bool classification);

    /// <inheritdoc/>
    public override string ToString() => Description;

    private protected static int[] Shuffled(IEnumerable<int> rows, Random random)
    {
        var array = rows.ToArray();
        random.Shuffle(array);
        return array;
    }

    private protected static Fold MakeFold(int index, int repeat, IReadOnlyList<int> allRows, HashSet<int> valid)
    {
        var train = allRows.Where(r => !valid.Contains(r)).Order().ToArray();
        return new Fold(index, repeat, train, valid.Order().ToArray());
    }

    private protected static string? SmallestClassProblem(IReadOnlyList<int> rows, IReadOnlyList<double> labels, int needed, string what)
    {
        var smallest = rows.GroupBy(r => labels[r]).OrderBy(g => g.Count()).First();
        return smallest.Count() < needed
            ? $"{what} needs at least {needed} rows of every class, but class {smallest.Key.ToString(CultureInfo.InvariantCulture)} has only {smallest.Count()} tuning rows; use fewer folds or KFold."
            : null;
    }

    private sealed class HoldOutStrategy : ValidationStrategy
    {
        private readonly double _fraction;
        private readonly bool _stratified;

        public HoldOutStrategy(double fraction, bool stratified)
        {
            if (!(fraction > 0 && fraction < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The validation fraction must be strictly between 0 and 1.");
            }

            _fraction = fraction;
            _stratified = stratified;
        }

        public override int FoldCount => 1;

        public override string Description => $"hold-out {_fraction.ToString("0.##", CultureInfo.InvariantCulture)}{(_stratified ? " (stratified)" : "")}";

        public override string? Problem(IReadOnlyList<int> rows, IReadOnlyList<double> labels, bool classification) =>
            rows.Count < 2 ? $"hold-out validation needs at least 2 tuning rows, got {rows.Count}." : null;

        public override IReadOnlyList<Fold> Split(IReadOnlyList<int> rows, IReadOnlyList<double> labels, bool classification, int seed)
        {
            CheckProblem(this, rows, labels, classification);
            var valid = DataSplits.Sample(rows, labels, _fraction, classification && _stratified, new Random(seed));
            return [MakeFold(0, 0, rows, valid)];
        }
    }

    private sealed class KFoldStrategy : ValidationStrategy
    {
        private readonly int _k;
        private readonly int _repeats;
        private readonly bool _stratified;

        public KFoldStrategy(int k, int repeats, bool stratified)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(k, 2);
            ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
            _k = k;
            _repeats = repeats;
            _stratified = stratified;
        }

        public override int FoldCount => _k * _repeats;

        public override string Description =>
            (_repeats > 1 ? $"{_repeats}× repeated " : "") + (_stratified ? "stratified " : "") + $"{_k}-fold";

        public override string? Problem(IReadOnlyList<int> rows, IReadOnlyList<double> labels, bool classification)
        {
            if (rows.Count < _k)
            {
                return $"{Description} needs at least {_k} tuning rows (one per fold), but there are {rows.Count}.";
            }

            return classification && _stratified ? SmallestClassProblem(rows, labels, _k, Description) : null;
        }

        public override IReadOnlyList<Fold> Split(IReadOnlyList<int> rows, IReadOnlyList<double> labels, bool classification, int seed)
        {
            CheckProblem(this, rows, labels, classification);
            var random = new Random(seed);
            var folds = new List<Fold>();
            for (var repeat = 0; repeat < _repeats; repeat++)
            {
                var assignment = new List<int>[_k];
                for (var f = 0; f < _k; f++)
                {
                    assignment[f] = [];
                }

                if (classification && _stratified)
                {
                    // Deal each class's shuffled rows round-robin, continuing where the previous class stopped,
                    // so every fold gets each class's share (±1) and fold sizes differ by at most one.
                    var next = 0;
                    foreach (var group in rows.GroupBy(r => labels[r]).OrderBy(g => g.Key))
                    {
                        foreach (var r in Shuffled(group, random))
                        {
                            assignment[next].Add(r);
                            next = (next + 1) % _k;
                        }
                    }
                }
                else
                {
                    var shuffled = Shuffled(rows, random);
                    for (var i = 0; i < shuffled.Length; i++)
                    {
                        assignment[(int)((long)i * _k / shuffled.Length)].Add(shuffled[i]);
                    }
                }

                for (var f = 0; f < _k; f++)
                {
                    folds.Add(MakeFold(folds.Count, repeat, rows, [.. assignment[f]]));
                }
            }

            return folds;
        }
    }

    private sealed class TimeOrderedStrategy : ValidationStrategy
    {
        private readonly int _k;

        public TimeOrderedStrategy(int k)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
            _k = k;
        }

        public override bool KeepsOrder => true;

        public override int FoldCount => _k;

        public override string Description => $"time-ordered {_k}-fold (expanding window)";

        public override string? Problem(IReadOnlyList<int> rows, IReadOnlyList<double> labels, bool classification) =>
            rows.Count < _k + 1 ? $"{Description} needs at least {_k + 1} tuning rows, but there are {rows.Count}." : null;

        public override IReadOnlyList<Fold> Split(IReadOnlyList<int> rows, IReadOnlyList<double> labels, bool classification, int seed)
        {
            CheckProblem(this, rows, labels, classification);
            var n = rows.Count;
            int Boundary(int block) => (int)((long)block * n / (_k + 1));
            var folds = new List<Fold>();
            for (var f = 0; f < _k; f++)
            {
                var train = rows.Take(Boundary(f + 1)).ToArray();
                var valid = rows.Skip(Boundary(f + 1)).Take(Boundary(f + 2) - Boundary(f + 1)).ToArray();
                folds.Add(new Fold(f, 0, train, valid));
            }

            return folds;
        }
    }

    private static void CheckProblem(ValidationStrategy strategy, IReadOnlyList<int> rows, IReadOnlyList<double> labels, bool classification)
    {
        if (strategy.Problem(rows, labels, classification) is { } problem)
        {
            throw new ArgumentException(problem, nameof(rows));
        }
    }
}
