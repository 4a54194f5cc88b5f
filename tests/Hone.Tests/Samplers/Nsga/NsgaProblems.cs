using Hone.Trials;

namespace Hone.Tests.Samplers.Nsga;

/// <summary>Standard multi-objective test problems (Zitzler, Deb and Thiele 2000; Deb, Thiele, Laumanns and Zitzler 2002).</summary>
internal static class NsgaProblems
{
    public static double[] Zdt1(Trial t, int n)
    {
        var x = Enumerable.Range(0, n).Select(i => t.SuggestFloat($"x{i}", 0, 1)).ToArray();
        var g = 1 + (9.0 / (n - 1) * x.Skip(1).Sum());
        return [x[0], g * (1 - Math.Sqrt(x[0] / g))];
    }

    public static double[] Dtlz2(Trial t, int n)
    {
        var x = Enumerable.Range(0, n).Select(i => t.SuggestFloat($"x{i}", 0, 1)).ToArray();
        var g = x.Skip(2).Sum(v => (v - 0.5) * (v - 0.5));
        var a = x[0] * Math.PI / 2;
        var b = x[1] * Math.PI / 2;
        return [(1 + g) * Math.Cos(a) * Math.Cos(b), (1 + g) * Math.Cos(a) * Math.Sin(b), (1 + g) * Math.Sin(a)];
    }
}
