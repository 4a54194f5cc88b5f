using System.Numerics;
using System.Runtime.CompilerServices;

namespace Hone.Samplers;

/// <summary>
/// A small, fast pseudo-random generator (xoshiro256**, Blackman and Vigna 2018) seeded by SplitMix64
/// from a (seed, trial number, stream) triple, so that the draws of trial k depend only on the sampler's
/// seed and k, whatever order parallel workers run trials in.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private double? _spareGaussian;

    /// <summary>Creates a generator from a 64-bit seed.</summary>
    public SeededRandom(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>The generator for one trial's stream of draws.</summary>
    /// <param name="seed">The sampler's seed.</param>
    /// <param name="trialNumber">The trial's number.</param>
    /// <param name="stream">Names an independent stream within the trial (a parameter name, "relative", ...).</param>
    public static SeededRandom ForTrial(long seed, int trialNumber, string stream) =>
        new(Mix((ulong)seed, (ulong)trialNumber, Fnv1a(stream)));

    /// <summary>A uniform double in [0, 1) for one trial's named draw, without allocating a generator.</summary>
    public static double UniformFor(long seed, int trialNumber, string stream)
    {
        var x = Mix((ulong)seed, (ulong)trialNumber, Fnv1a(stream));
        return (SplitMix(ref x) >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="n"/>).</summary>
    public int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        return (int)Math.Min(n - 1, (long)(NextDouble() * n));
    }

    /// <summary>A standard normal draw (Marsaglia's polar method).</summary>
    public double NextGaussian()
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return spare;
        }

        double u, v, s;
        do
        {
            u = (2 * NextDouble()) - 1;
            v = (2 * NextDouble()) - 1;
            s = (u * u) + (v * v);
        }
        while (s >= 1 || s == 0);

        var f = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareGaussian = v * f;
        return u * f;
    }

    /// <summary>A fresh random seed for samplers created without one.</summary>
    public static long NewSeed() => Random.Shared.NextInt64();

    private static ulong Mix(ulong seed, ulong number, ulong stream)
    {
        var x = seed;
        var a = SplitMix(ref x);
        x = a ^ (number * 0xD1B54A32D192ED03UL);
        var b = SplitMix(ref x);
        x = b ^ (stream * 0x9E3779B97F4A7C15UL);
        return SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong Fnv1a(string s)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var c in s)
        {
            h = (h ^ c) * 0x100000001B3UL;
        }

        return h;
    }
}
