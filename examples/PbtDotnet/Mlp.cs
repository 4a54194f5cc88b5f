namespace PbtDotnet;

/// <summary>
/// A one-hidden-layer perceptron (64 → hidden, ReLU → 10, softmax) trained by minibatch SGD with momentum and weight
/// decay, on plain arrays. Its state (weights and momentum buffers) is a checkpoint.
/// </summary>
internal sealed class Mlp
{
    private const int Inputs = 64;
    private const int Classes = 10;
    private readonly int _hidden;
    private readonly double[] _w;   // W1 (Inputs×H), b1 (H), W2 (H×Classes), b2 (Classes)
    private readonly double[] _v;   // momentum
    private readonly int _b1;
    private readonly int _w2;
    private readonly int _b2;

    public Mlp(int hidden, int seed)
    {
        _hidden = hidden;
        _b1 = Inputs * hidden;
        _w2 = _b1 + hidden;
        _b2 = _w2 + (hidden * Classes);
        _w = new double[_b2 + Classes];
        _v = new double[_w.Length];
        var rng = new Random(seed);
        for (var i = 0; i < _b1; i++)
        {
            _w[i] = Gaussian(rng) * Math.Sqrt(2.0 / Inputs);
        }

        for (var i = _w2; i < _b2; i++)
        {
            _w[i] = Gaussian(rng) * Math.Sqrt(2.0 / hidden);
        }
    }

    public byte[] Save()
    {
        var bytes = new byte[(_w.Length + _v.Length) * sizeof(double)];
        Buffer.BlockCopy(_w, 0, bytes, 0, _w.Length * sizeof(double));
        Buffer.BlockCopy(_v, 0, bytes, _w.Length * sizeof(double), _v.Length * sizeof(double));
        return bytes;
    }

    public static Mlp Load(int hidden, ReadOnlySpan<byte> bytes)
    {
        var m = new Mlp(hidden, 0);
        var doubles = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(bytes);
        doubles[..m._w.Length].CopyTo(m._w);
        doubles[m._w.Length..].CopyTo(m._v);
        return m;
    }

    /// <summary>One SGD step on the minibatch drawn for <paramref name="step"/> (the same batch for a step in every run).</summary>
    public void Step(Digits data, int step, int dataSeed, int batch, double lr, double momentum, double weightDecay)
    {
        var rng = new Random((dataSeed * 1_000_003) + step);
        var grad = new double[_w.Length];
        var h = new double[_hidden];
        var p = new double[Classes];
        var dh = new double[_hidden];
        for (var n = 0; n < batch; n++)
        {
            var i = data.Train[rng.Next(data.Train.Length)];
            var x = data.X[i];
            Forward(x, h, p);
            p[data.Y[i]] -= 1;
            for (var k = 0; k < Classes; k++)
            {
                var g = p[k] / batch;
                grad[_b2 + k] += g;
                for (var j = 0; j < _hidden; j++)
                {
                    grad[_w2 + (j * Classes) + k] += h[j] * g;
                }
            }

            for (var j = 0; j < _hidden; j++)
            {
                var s = 0.0;
                if (h[j] > 0)
                {
                    for (var k = 0; k < Classes; k++)
                    {
                        s += _w[_w2 + (j * Classes) + k] * p[k];
                    }
                }

                dh[j] = s / batch;
                grad[_b1 + j] += dh[j];
            }

            for (var d = 0; d < Inputs; d++)
            {
                if (x[d] == 0)
                {
                    continue;
                }

                var row = d * _hidden;
                for (var j = 0; j < _hidden; j++)
                {
                    grad[row + j] += x[d] * dh[j];
                }
            }
        }

        for (var i = 0; i < _w.Length; i++)
        {
            _v[i] = (momentum * _v[i]) - (lr * (grad[i] + (weightDecay * _w[i])));
            _w[i] += _v[i];
        }
    }

    public double Accuracy(Digits data, int[] rows)
    {
        var h = new double[_hidden];
        var p = new double[Classes];
        var right = 0;
        foreach (var i in rows)
        {
            Forward(data.X[i], h, p);
            var best = 0;
            for (var k = 1; k < Classes; k++)
            {
                if (p[k] > p[best])
                {
                    best = k;
                }
            }

            right += best == data.Y[i] ? 1 : 0;
        }

        return (double)right / rows.Length;
    }

    private void Forward(double[] x, double[] h, double[] p)
    {
        for (var j = 0; j < _hidden; j++)
        {
            h[j] = _w[_b1 + j];
        }

        for (var d = 0; d < Inputs; d++)
        {
            if (x[d] == 0)
            {
                continue;
            }

            var row = d * _hidden;
            for (var j = 0; j < _hidden; j++)
            {
                h[j] += x[d] * _w[row + j];
            }
        }

        for (var j = 0; j < _hidden; j++)
        {
            h[j] = Math.Max(0, h[j]);
        }

        var max = double.NegativeInfinity;
        for (var k = 0; k < Classes; k++)
        {
            var s = _w[_b2 + k];
            for (var j = 0; j < _hidden; j++)
            {
                s += h[j] * _w[_w2 + (j * Classes) + k];
            }

            p[k] = s;
            max = Math.Max(max, s);
        }

        var sum = 0.0;
        for (var k = 0; k < Classes; k++)
        {
            p[k] = Math.Exp(p[k] - max);
            sum += p[k];
        }

        for (var k = 0; k < Classes; k++)
        {
            p[k] /= sum;
        }
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
