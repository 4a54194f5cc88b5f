using System.Numerics;
using System.Runtime.InteropServices;

namespace Hone.Samplers.Gp;

/// <summary>
/// The lower Cholesky factor L of a symmetric positive definite matrix (K = L Lᵀ), row-major, that can grow by rows:
/// adding a point to the GP's data extends the factor in O(n²) instead of refactoring in O(n³).
/// </summary>
internal sealed class CholeskyFactor
{
    private double[] _l;
    private int _capacity;

    private CholeskyFactor(double[] l, int capacity, int size)
    {
        _l = l;
        _capacity = capacity;
        Size = size;
    }

    /// <summary>The matrix's order.</summary>
    public int Size { get; private set; }

    /// <summary>Element (i, j) of L, j ≤ i.</summary>
    public double this[int i, int j] => _l[(i * _capacity) + j];

    /// <summary>Factors the n×n matrix (row-major; only the lower triangle is read), or returns null when it is not positive definite.</summary>
    public static CholeskyFactor? TryFactor(ReadOnlySpan<double> k, int n, int capacity)
    {
        capacity = Math.Max(capacity, n);
        var f = new CholeskyFactor(new double[capacity * capacity], capacity, 0);
        for (var i = 0; i < n; i++)
        {
            if (!f.TryAppend(k.Slice(i * n, i), k[(i * n) + i]))
            {
                return null;
            }
        }

        return f;
    }

    /// <summary>
    /// Adds a row and column to the matrix: <paramref name="column"/> holds its covariances with the existing rows and
    /// <paramref name="diagonal"/> its variance. False (and no change) when the result would not be positive definite.
    /// </summary>
    public bool TryAppend(ReadOnlySpan<double> column, double diagonal)
    {
        var n = Size;
        if (n == _capacity)
        {
            Grow(Math.Max(8, _capacity * 2));
        }

        var row = _l.AsSpan(n * _capacity, n + 1);
        for (var j = 0; j < n; j++)
        {
            var lj = _l.AsSpan(j * _capacity, j);
            row[j] = (column[j] - Dot(row[..j], lj)) / _l[(j * _capacity) + j];
        }

        var s = diagonal - Dot(row[..n], row[..n]);
        if (!(s > 0) || double.IsInfinity(s))
        {
            row.Clear();
            return false;
        }

        row[n] = Math.Sqrt(s);
        Size = n + 1;
        return true;
    }

    /// <summary>A copy with room for <paramref name="extra"/> more rows.</summary>
    public CholeskyFactor Clone(int extra)
    {
        var capacity = Math.Max(_capacity, Size + extra);
        var l = new double[capacity * capacity];
        for (var i = 0; i < Size; i++)
        {
            _l.AsSpan(i * _capacity, i + 1).CopyTo(l.AsSpan(i * capacity));
        }

        return new CholeskyFactor(l, capacity, Size);
    }

    /// <summary>Solves L x = b in place.</summary>
    public void SolveLower(Span<double> b)
    {
        for (var i = 0; i < Size; i++)
        {
            var row = _l.AsSpan(i * _capacity, i);
            b[i] = (b[i] - Dot(row, b[..i])) / _l[(i * _capacity) + i];
        }
    }

    /// <summary>Solves Lᵀ x = b in place.</summary>
    public void SolveUpper(Span<double> b)
    {
        for (var i = Size - 1; i >= 0; i--)
        {
            var x = b[i] / _l[(i * _capacity) + i];
            b[i] = x;
            for (var j = 0; j < i; j++)
            {
                b[j] -= _l[(i * _capacity) + j] * x;
            }
        }
    }

    /// <summary>Σ log Lᵢᵢ, half the log determinant of the matrix.</summary>
    public double HalfLogDeterminant()
    {
        var s = 0.0;
        for (var i = 0; i < Size; i++)
        {
            s += Math.Log(_l[(i * _capacity) + i]);
        }

        return s;
    }

    /// <summary>The inverse of the matrix, n×n row-major (both triangles).</summary>
    public double[] Inverse()
    {
        var n = Size;
        // Rows of L⁻¹ (lower): L⁻¹ is computed column by column into a row-major buffer.
        var inv = new double[n * n];
        var col = new double[n];
        for (var c = 0; c < n; c++)
        {
            Array.Clear(col);
            col[c] = 1;
            for (var i = c; i < n; i++)
            {
                var row = _l.AsSpan(i * _capacity, i);
                var s = col[i] - Dot(row[c..], col.AsSpan(c, i - c));
                col[i] = s / _l[(i * _capacity) + i];
            }

            for (var i = c; i < n; i++)
            {
                inv[(i * n) + c] = col[i];
            }
        }

        // K⁻¹ = L⁻ᵀ L⁻¹: element (i, j) = Σ_{k ≥ max(i, j)} M[k, i] M[k, j], with M = L⁻¹; use columns of M stored transposed.
        var mt = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var k = i; k < n; k++)
            {
                mt[(i * n) + k] = inv[(k * n) + i];
            }
        }

        for (var i = 0; i < n; i++)
        {
            var ri = mt.AsSpan(i * n, n);
            for (var j = 0; j <= i; j++)
            {
                var v = Dot(ri[i..], mt.AsSpan((j * n) + i, n - i));
                inv[(i * n) + j] = v;
                inv[(j * n) + i] = v;
            }
        }

        return inv;
    }

    /// <summary>The dot product of two spans of equal length, vectorised.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var n = a.Length;
        var i = 0;
        var sum = 0.0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count * 2)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b);
            var acc = Vector<double>.Zero;
            for (var k = 0; k < va.Length; k++)
            {
                acc += va[k] * vb[k];
            }

            sum = Vector.Sum(acc);
            i = va.Length * Vector<double>.Count;
        }

        for (; i < n; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private void Grow(int capacity)
    {
        var l = new double[capacity * capacity];
        for (var i = 0; i < Size; i++)
        {
            _l.AsSpan(i * _capacity, i + 1).CopyTo(l.AsSpan(i * capacity));
        }

        _l = l;
        _capacity = capacity;
    }
}
