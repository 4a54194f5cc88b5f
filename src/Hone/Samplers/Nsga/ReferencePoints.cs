namespace Hone.Samplers.Nsga;

/// <summary>
/// Das and Dennis's structured reference points ("Normal-boundary intersection", SIAM J. Optim. 1998) on the unit
/// simplex: every vector of multiples of 1/p whose entries sum to 1, as NSGA-III places them.
/// </summary>
internal static class ReferencePoints
{
    /// <summary>The C(m + p − 1, p) points for <paramref name="objectives"/> objectives and <paramref name="divisions"/> divisions.</summary>
    public static double[][] DasDennis(int objectives, int divisions)
    {
        var result = new List<double[]>();
        var counts = new int[objectives];
        Fill(0, divisions);
        return [.. result];

        void Fill(int axis, int left)
        {
            if (axis == objectives - 1)
            {
                counts[axis] = left;
                result.Add([.. counts.Select(c => (double)c / divisions)]);
                return;
            }

            for (var k = left; k >= 0; k--)
            {
                counts[axis] = k;
                Fill(axis + 1, left - k);
            }
        }
    }

    /// <summary>How many points <see cref="DasDennis"/> makes, saturating at <see cref="int.MaxValue"/>.</summary>
    public static long Count(int objectives, int divisions)
    {
        // C(divisions + objectives - 1, objectives - 1), computed exactly step by step.
        long c = 1;
        for (var k = 1; k < objectives; k++)
        {
            c = c * (divisions + k) / k;
            if (c > int.MaxValue)
            {
                return int.MaxValue;
            }
        }

        return c;
    }

    /// <summary>The largest number of divisions whose points number at most <paramref name="population"/>, at least 1.</summary>
    public static int DivisionsFor(int objectives, int population)
    {
        var p = 1;
        while (Count(objectives, p + 1) <= population)
        {
            p++;
            if (objectives == 1)
            {
                return 1;
            }
        }

        return p;
    }
}
