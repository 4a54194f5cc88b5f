namespace Hone.Samplers.Qmc;

/// <summary>
/// Halton's sequence (Halton 1960): coordinate k of point n is the radical inverse of n in the k-th prime
/// base p (the base-p digits of n mirrored about the radix point). Any point is computed directly from its
/// index, so the sequence is stateless and safe to share between threads.
/// </summary>
/// <remarks>
/// Scrambling replaces every digit d at position i (of the first k with p^k &gt; 2^53, enough for any index and to
/// fill a double) by π_i(d), with π_i a random permutation of 0..p−1 drawn from the seed, the coordinate and the
/// position alone: the random digit permutations of SciPy's <c>Halton(scramble=True)</c> and of Owen's
/// randomized Halton (Owen 2017, after Matoušek 1998). Digits beyond those of n are 0, so their part is a
/// constant per coordinate and length of n: only π_i(0) is needed there, and permutations are built lazily,
/// for the positions the indices in use reach. The first p^m points still fall once in each of the p^m
/// equal intervals of the coordinate of base p.
/// </remarks>
internal sealed class HaltonSequence
{
    /// <summary>The largest index a point may have (as for <see cref="SobolSequence"/>).</summary>
    public const long MaxIndex = SobolSequence.MaxIndex;

    private const int MaxPositions = 64;
    private static readonly double BelowOne = Math.BitDecrement(1.0);

    private readonly int[] _bases;
    private readonly long _seed;
    private readonly double[][]? _tails;
    private readonly int[]?[][]? _permutations;

    /// <summary>Prepares the first <paramref name="dimension"/> coordinates (bases 2, 3, 5, 7, 11, …).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The dimension is below 1.</exception>
    public HaltonSequence(int dimension, bool scramble, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        _bases = FirstPrimes(dimension);
        _seed = seed;
        Scrambled = scramble;
        if (!scramble)
        {
            return;
        }

        _tails = new double[dimension][];
        _permutations = new int[]?[dimension][];
        for (var k = 0; k < dimension; k++)
        {
            var p = _bases[k];
            var positions = Positions(p);
            var tail = new double[positions + 1];
            for (var i = positions - 1; i >= 0; i--)
            {
                tail[i] = (ZeroImage(k, i, p) + tail[i + 1]) / p;
            }

            _tails[k] = tail;
            _permutations[k] = new int[]?[positions];
        }
    }

    /// <summary>The number of coordinates of each point.</summary>
    public int Dimension => _bases.Length;

    /// <summary>Whether the sequence is scrambled.</summary>
    public bool Scrambled { get; }

    /// <summary>The prime base of each coordinate.</summary>
    public IReadOnlyList<int> Bases => _bases;

    /// <summary>Writes the first <c>destination.Length</c> coordinates of point <paramref name="index"/>, each in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is negative or above <see cref="MaxIndex"/>, or the
    /// destination is longer than <see cref="Dimension"/>.</exception>
    public void Point(long index, Span<double> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, MaxIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(destination.Length, Dimension, nameof(destination));
        Span<int> digits = stackalloc int[MaxPositions];
        for (var k = 0; k < destination.Length; k++)
        {
            var p = _bases[k];
            var length = 0;
            for (var n = index; n > 0; n /= p)
            {
                digits[length++] = (int)(n % p);
            }

            double x;
            if (_tails is null)
            {
                x = 0;
                for (var i = length - 1; i >= 0; i--)
                {
                    x = (digits[i] + x) / p;
                }
            }
            else
            {
                x = _tails[k][length];
                for (var i = length - 1; i >= 0; i--)
                {
                    x = (Permutation(k, i)[digits[i]] + x) / p;
                }
            }

            destination[k] = Math.Min(x, BelowOne);
        }
    }

    /// <summary>The smallest number of base-p digit positions k with p^k &gt; 2^53: enough for any index, and to fill a double.</summary>
    private static int Positions(int p)
    {
        var positions = 0;
        for (var reach = 1.0; reach <= 9007199254740992.0; reach *= p)
        {
            positions++;
        }

        return positions;
    }

    private static int[] FirstPrimes(int count)
    {
        var primes = new int[count];
        var found = 0;
        for (var candidate = 2; found < count; candidate++)
        {
            var isPrime = true;
            for (var i = 0; i < found && primes[i] * primes[i] <= candidate; i++)
            {
                if (candidate % primes[i] == 0)
                {
                    isPrime = false;
                    break;
                }
            }

            if (isPrime)
            {
                primes[found++] = candidate;
            }
        }

        return primes;
    }

    private SeededRandom RandomFor(int coordinate, int position) =>
        SeededRandom.ForTrial(_seed, (coordinate * MaxPositions) + position, "qmc.halton");

    /// <summary>π_i(0) without building π_i: the first draw of the forward Fisher–Yates shuffle in <see cref="Permutation"/>.</summary>
    private int ZeroImage(int coordinate, int position, int p) => RandomFor(coordinate, position).NextInt(p);

    /// <summary>π_i for one coordinate, built on first use (racing builders build the same array).</summary>
    private int[] Permutation(int coordinate, int position)
    {
        var slots = _permutations![coordinate];
        if (Volatile.Read(ref slots[position]) is { } built)
        {
            return built;
        }

        var p = _bases[coordinate];
        var random = RandomFor(coordinate, position);
        var permutation = new int[p];
        for (var i = 0; i < p; i++)
        {
            permutation[i] = i;
        }

        for (var i = 0; i < p - 1; i++)
        {
            var j = i + random.NextInt(p - i);
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
        }

        return Interlocked.CompareExchange(ref slots[position], permutation, null) ?? permutation;
    }
}
