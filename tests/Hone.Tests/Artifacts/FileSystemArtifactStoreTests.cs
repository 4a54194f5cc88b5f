using Hone.Artifacts;

namespace Hone.Tests.Artifacts;

public sealed class FileSystemArtifactStoreTests : IDisposable
{
    private readonly ArtifactFolder _folder = new();

    [Fact]
    public void Write_SourceFailsHalfway_LeavesNoArtifactAndNoTemporaryFile()
    {
        var store = _folder.Store;
        Assert.Throws<IOException>(() => store.Write("model.ckpt", new FailingStream(1000)));
        Assert.False(store.Exists("model.ckpt"));
        Assert.Empty(Directory.GetFiles(_folder.Root));
    }

    [Fact]
    public void Write_ThenRead_SameBytes()
    {
        var data = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();
        _folder.Store.Write("a.bin", new MemoryStream(data));
        using var read = _folder.Store.OpenRead("a.bin");
        using var copy = new MemoryStream();
        read.CopyTo(copy);
        Assert.Equal(data, copy.ToArray());
        _folder.Store.Delete("a.bin");
        Assert.False(_folder.Store.Exists("a.bin"));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    public void Ids_ThatCouldNameAPathOutsideTheStore_AreRefused(string id)
    {
        var e = Assert.Throws<ArgumentException>(() => _folder.Store.Write(id, new MemoryStream([1])));
        Assert.Contains(id, e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>Yields some bytes, then fails as a broken source would.</summary>
    private sealed class FailingStream(int bytesBeforeFailure) : Stream
    {
        private int _left = bytesBeforeFailure;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_left == 0)
            {
                throw new IOException("source broke");
            }

            var n = Math.Min(count, _left);
            _left -= n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
