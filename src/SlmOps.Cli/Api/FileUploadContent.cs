using System.Net;

namespace SlmOps.Cli.Api;

/// <summary>A file streamed from disk in chunks (never buffered whole), reporting the bytes sent so far.</summary>
public sealed class FileUploadContent(string path, Action<long> sent) : HttpContent
{
    private const int ChunkBytes = 81920;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkBytes, useAsync: true);
        var buffer = new byte[ChunkBytes];
        long total = 0;
        int read;
        while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            total += read;
            sent(total);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = new FileInfo(path).Length;
        return true;
    }
}
