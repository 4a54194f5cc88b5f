using System.Buffers.Binary;
using System.IO.Compression;

namespace Hone.Dashboard.Tests;

/// <summary>
/// Just enough of PNG (8-bit greyscale, RGB or RGBA, not interlaced: what Chromium's screenshots are) to measure how
/// much a screenshot's pixels vary: a blank or single-colour image has almost no variance.
/// </summary>
internal static class PngImage
{
    /// <summary>The variance of the pixels' luminance (0 to 255 scale).</summary>
    public static double LuminanceVariance(byte[] png)
    {
        var (width, height, channels, pixels) = Decode(png);
        double sum = 0, sumSquares = 0;
        var n = (double)width * height;
        for (var i = 0; i < width * height; i++)
        {
            var p = pixels.AsSpan(i * channels);
            var y = channels >= 3 ? (0.299 * p[0]) + (0.587 * p[1]) + (0.114 * p[2]) : p[0];
            sum += y;
            sumSquares += y * y;
        }

        var mean = sum / n;
        return (sumSquares / n) - (mean * mean);
    }

    private static (int Width, int Height, int Channels, byte[] Pixels) Decode(byte[] png)
    {
        var offset = 8;
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        while (offset < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                Assert.Equal(0, data[12]);
                channels = data[9] switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, _ => throw new NotSupportedException($"PNG colour type {data[9]}") };
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            offset += 12 + length;
        }

        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        z.CopyTo(raw);
        var bytes = raw.ToArray();
        var stride = width * channels;
        var pixels = new byte[height * stride];
        for (var row = 0; row < height; row++)
        {
            var filter = bytes[row * (stride + 1)];
            var line = bytes.AsSpan((row * (stride + 1)) + 1, stride);
            var output = pixels.AsSpan(row * stride, stride);
            for (var i = 0; i < stride; i++)
            {
                int a = i >= channels ? output[i - channels] : 0;
                int b = row > 0 ? pixels[((row - 1) * stride) + i] : 0;
                int c = row > 0 && i >= channels ? pixels[((row - 1) * stride) + i - channels] : 0;
                var predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new NotSupportedException($"PNG filter {filter}"),
                };
                output[i] = (byte)(line[i] + predictor);
            }
        }

        return (width, height, channels, pixels);
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
