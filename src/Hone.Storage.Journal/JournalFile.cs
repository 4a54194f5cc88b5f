using System.Buffers;

namespace Hone.Storage.Journal;

/// <summary>
/// The bytes of a journal: reads the complete lines after a byte offset, and appends lines under the file lock with
/// one write and an fsync. The file is opened afresh for every read and append, as Optuna does, so that NFS's
/// close-to-open consistency shows each process the others' appends.
/// </summary>
internal sealed class JournalFile
{
    private const int ChunkSize = 1 << 20;

    public JournalFile(string path, JournalFileLock fileLock)
    {
        Path = path;
        Lock = fileLock;
        using (new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
        }
    }

    public string Path { get; }

    public JournalFileLock Lock { get; }

    /// <summary>
    /// Calls <paramref name="line"/> for every complete line (ending in '\n', the newline excluded) from
    /// <paramref name="offset"/> on, and returns the offset after the last complete line. A last line without its
    /// newline (being written now, or torn by a writer that was killed) is left for later.
    /// </summary>
    public long ReadLines(long offset, Action<ReadOnlyMemory<byte>> line)
    {
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        var length = stream.Length;
        if (length <= offset)
        {
            return offset;
        }

        stream.Position = offset;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(ChunkSize, length - offset));
        try
        {
            var filled = 0;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    // A line longer than the buffer: grow it.
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = stream.Read(buffer, filled, buffer.Length - filled);
                if (read == 0)
                {
                    return offset;
                }

                filled += read;
                var start = 0;
                while (true)
                {
                    var newline = buffer.AsSpan(start, filled - start).IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        break;
                    }

                    line(buffer.AsMemory(start, newline));
                    start += newline + 1;
                    offset += newline + 1;
                }

                buffer.AsSpan(start, filled - start).CopyTo(buffer);
                filled -= start;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Appends <paramref name="lines"/> (each ending in '\n') with one write at <paramref name="end"/> and syncs them to
    /// disk. The caller holds the lock and has read every complete line, so <paramref name="end"/> is where the last
    /// complete line ends: bytes beyond it are a line torn by a writer that was killed, and are cut off first so that
    /// every reader, Optuna's included, sees whole lines only.
    /// </summary>
    public void Append(long end, ReadOnlySpan<byte> lines)
    {
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        if (stream.Length != end)
        {
            stream.SetLength(end);
        }

        stream.Position = end;
        try
        {
            stream.Write(lines);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            // A full disk or a lost server: take back whatever part was written, so that no reader ever sees some lines
            // of an operation without the rest.
            try
            {
                stream.SetLength(end);
            }
            catch (IOException)
            {
                // The next writer cuts the torn bytes off instead (see above); its line boundary is still `end`.
            }

            throw;
        }
    }
}
