using System.Globalization;
using System.Numerics;

namespace Hone.Samplers.Qmc;

/// <summary>
/// Sobol's base-2 digital sequence (Sobol 1967) with the direction numbers of Joe and Kuo (2008), points
/// taken in Gray-code order (Antonov and Saleev 1979) as SciPy does, so that point n is the XOR of the
/// direction numbers picked by the bits of n ^ (n &gt;&gt; 1). Any point is computed directly from its index,
/// which makes the sequence stateless and safe to share between threads.
/// </summary>
/// <remarks>
/// Scrambling is Matoušek's (1998) random linear matrix scramble (a random lower-triangular binary matrix
/// with unit diagonal multiplies every direction number) followed by a random digital shift (XOR), each
/// drawn per dimension from the seed and the dimension alone: coordinate k of point n does not depend on
/// how many dimensions the sequence has. Both keep the net property, so the first 2^m points still fall
/// once in each of the 2^m equal intervals of every coordinate.
/// </remarks>
internal sealed class SobolSequence
{
    /// <summary>The number of dimensions the shipped Joe–Kuo table covers (dimension 1 and 1,110 rows).</summary>
    public const int MaxDimension = 1111;

    /// <summary>The bits of every coordinate: points are multiples of 2^-52, exact in a double and below 1.</summary>
    public const int Bits = 52;

    /// <summary>The largest index a point may have.</summary>
    public const long MaxIndex = (1L << Bits) - 1;

    private const string TableResource = "Hone.Samplers.Qmc.joe-kuo-d6-first1111.txt";
    private const double Scale = 1.0 / (1UL << Bits);

    private static readonly Lazy<uint[][]> Table = new(LoadTable);

    private readonly ulong[] _directions;
    private readonly ulong[] _shifts;

    /// <summary>Builds the direction numbers (scrambled or not) of the first <paramref name="dimension"/> coordinates.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The dimension is below 1 or above <see cref="MaxDimension"/>.</exception>
    public SobolSequence(int dimension, bool scramble, long seed)
    {
        if (dimension is < 1 or > MaxDimension)
        {
            throw new ArgumentOutOfRangeException(
                nameof(dimension), dimension,
                $"A Sobol sequence has 1 to {MaxDimension} dimensions here (the Joe–Kuo direction numbers Hone ships); " +
                $"got {dimension}. Sample fewer parameters jointly, or use a Halton sequence.");
        }

        Dimension = dimension;
        Scrambled = scramble;
        _directions = new ulong[dimension * Bits];
        _shifts = new ulong[dimension];
        var table = dimension > 1 ? Table.Value : [];
        for (var k = 0; k < dimension; k++)
        {
            var v = _directions.AsSpan(k * Bits, Bits);
            FillDirections(k == 0 ? null : table[k - 1], v);
            if (scramble)
            {
                var random = SeededRandom.ForTrial(seed, k, "qmc.sobol");
                ScrambleDirections(v, random);
                _shifts[k] = random.NextUInt64() >> (64 - Bits);
            }
        }
    }

    /// <summary>The number of coordinates of each point.</summary>
    public int Dimension { get; }

    /// <summary>Whether the sequence is scrambled.</summary>
    public bool Scrambled { get; }

    /// <summary>Writes the first <c>destination.Length</c> coordinates of point <paramref name="index"/>, each in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is negative or above <see cref="MaxIndex"/>, or the
    /// destination is longer than <see cref="Dimension"/>.</exception>
    public void Point(long index, Span<double> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, MaxIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(destination.Length, Dimension, nameof(destination));
        var gray = (ulong)(index ^ (index >> 1));
        for (var k = 0; k < destination.Length; k++)
        {
            var x = _shifts[k];
            var row = k * Bits;
            for (var bits = gray; bits != 0; bits &= bits - 1)
            {
                x ^= _directions[row + BitOperations.TrailingZeroCount(bits)];
            }

            destination[k] = x * Scale;
        }
    }

    /// <summary>
    /// The direction numbers v_1..v_Bits of one coordinate, left-aligned (v_i = m_i · 2^(Bits − i)), from
    /// the primitive polynomial of degree s with interior coefficients a and the initial m_1..m_s, by
    /// Bratley and Fox's recurrence v_i = v_(i−s) ⊕ (v_(i−s) ≫ s) ⊕ a_1 v_(i−1) ⊕ … ⊕ a_(s−1) v_(i−s+1).
    /// The first coordinate (row null) is the van der Corput sequence: every m_i = 1.
    /// </summary>
    private static void FillDirections(uint[]? row, Span<ulong> v)
    {
        if (row is null)
        {
            for (var i = 0; i < Bits; i++)
            {
                v[i] = 1UL << (Bits - 1 - i);
            }

            return;
        }

        var s = (int)row[0];
        var a = row[1];
        for (var i = 0; i < Bits; i++)
        {
            if (i < s)
            {
                v[i] = (ulong)row[2 + i] << (Bits - 1 - i);
                continue;
            }

            var x = v[i - s] ^ (v[i - s] >> s);
            for (var l = 1; l < s; l++)
            {
                if (((a >> (s - 1 - l)) & 1) != 0)
                {
                    x ^= v[i - l];
                }
            }

            v[i] = x;
        }
    }

    /// <summary>
    /// Multiplies every direction number (as a vector of bits, most significant first) by a random
    /// lower-triangular binary matrix with unit diagonal: output bit l is the parity of the input bits 0..l
    /// selected by row l.
    /// </summary>
    private static void ScrambleDirections(Span<ulong> v, SeededRandom random)
    {
        Span<ulong> rows = stackalloc ulong[Bits];
        for (var l = 0; l < Bits; l++)
        {
            var above = ((1UL << l) - 1) << (Bits - l);
            rows[l] = (random.NextUInt64() & above) | (1UL << (Bits - 1 - l));
        }

        for (var j = 0; j < v.Length; j++)
        {
            var scrambled = 0UL;
            for (var l = 0; l < Bits; l++)
            {
                scrambled |= (ulong)(BitOperations.PopCount(rows[l] & v[j]) & 1) << (Bits - 1 - l);
            }

            v[j] = scrambled;
        }
    }

    /// <summary>
    /// Reads the embedded Joe–Kuo table ("d s a m_1 … m_s" per line after a header) into one row per
    /// dimension 2..<see cref="MaxDimension"/>: s, a, then m_1..m_s. Checked on the way, so a damaged
    /// resource fails loudly instead of yielding a sequence that is not Sobol's.
    /// </summary>
    private static uint[][] LoadTable()
    {
        var assembly = typeof(SobolSequence).Assembly;
        using var stream = assembly.GetManifestResourceStream(TableResource)
            ?? throw new InvalidOperationException($"The Sobol direction numbers ({TableResource}) are missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        _ = reader.ReadLine();
        var rows = new uint[MaxDimension - 1][];
        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            var values = new uint[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                values[i] = uint.Parse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture);
            }

            if (count == rows.Length || values.Length < 4 || values[0] != count + 2 || values[1] is 0 or > 31
                || values.Length != 3 + values[1] || values[2] >= 1U << ((int)values[1] - 1))
            {
                throw new InvalidDataException($"Malformed Sobol direction-number line {count + 2}: \"{line}\".");
            }

            var row = new uint[values.Length - 1];
            row[0] = values[1];
            row[1] = values[2];
            for (var i = 0; i < values[1]; i++)
            {
                var m = values[3 + i];
                if ((m & 1) == 0 || m >= 1U << (i + 1))
                {
                    throw new InvalidDataException($"Sobol direction number m_{i + 1} = {m} of dimension {count + 2} must be odd and below 2^{i + 1}.");
                }

                row[2 + i] = m;
            }

            rows[count++] = row;
        }

        return count == rows.Length
            ? rows
            : throw new InvalidDataException($"The Sobol direction-number table has {count} dimensions after the first; expected {rows.Length}.");
    }
}
