using System.Text;

namespace SlmOps.Web.Datasets;

/// <summary>
/// A read-only pass-through over an upload that refuses what cannot be a text dataset while it streams: NUL bytes
/// or invalid UTF-8 in the first 64 KB, or no bytes at all. It also counts non-empty lines on the way, so the
/// file is read exactly once.
/// </summary>
public sealed class TextInspectingStream(Stream inner) : Stream
{
    public const int InspectedBytes = 64 * 1024;

    private readonly Decoder _utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
    private readonly char[] _chars = new char[InspectedBytes + 4];
    private long _total;
    private bool _lineHasContent;

    public long NonEmptyLines { get; private set; }
    public long BytesRead => _total;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Inspect(buffer.Span[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Inspect(buffer.AsSpan(offset, read));
        return read;
    }

    private void Inspect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            if (_total == 0) throw new DatasetContentException("The file is empty: upload a file with at least one line of text.");
            if (_total <= InspectedBytes) CheckUtf8([], flush: true);
            if (_lineHasContent) NonEmptyLines++;
            _lineHasContent = false;
            return;
        }

        if (_total < InspectedBytes)
        {
            var head = bytes[..(int)Math.Min(bytes.Length, InspectedBytes - _total)];
            if (head.Contains((byte)0)) throw Binary("it contains NUL bytes");
            CheckUtf8(head, flush: false);
        }

        foreach (var b in bytes)
        {
            if (b == (byte)'\n')
            {
                if (_lineHasContent) NonEmptyLines++;
                _lineHasContent = false;
            }
            else if (b is not ((byte)'\r' or (byte)' ' or (byte)'\t'))
            {
                _lineHasContent = true;
            }
        }
        _total += bytes.Length;
    }

    private void CheckUtf8(ReadOnlySpan<byte> bytes, bool flush)
    {
        try
        {
            _utf8.GetChars(bytes, _chars, flush);
        }
        catch (DecoderFallbackException)
        {
            throw Binary("it is not valid UTF-8");
        }
    }

    private static DatasetContentException Binary(string why) => new(
        $"The file looks binary ({why} within the first {InspectedBytes / 1024} KB). Upload UTF-8 text: plain text, JSON lines or CSV.");

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _total; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
