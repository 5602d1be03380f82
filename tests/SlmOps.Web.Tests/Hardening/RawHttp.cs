using System.Net.Sockets;
using System.Text;

namespace SlmOps.Web.Tests.Hardening;

/// <summary>
/// One HTTP/1.1 exchange written byte for byte on a socket, for requests no HttpClient would send (a NUL in the path,
/// a Content-Length that lies). Reads one response (Content-Length or chunked framing), or to the connection's close.
/// </summary>
internal static class RawHttp
{
    public sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers, string Body, bool Closed)
    {
        public string? ContentType => Headers.GetValueOrDefault("content-type");
    }

    /// <summary>Sends <paramref name="request"/> (Latin-1) to 127.0.0.1:<paramref name="port"/> and reads the answer within <paramref name="deadline"/>.</summary>
    public static async Task<Response> SendAsync(int port, string request, TimeSpan deadline)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        using var timeout = new CancellationTokenSource(deadline);
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read > 0) received.Write(buffer, 0, read);
            var text = Encoding.Latin1.GetString(received.ToArray());
            if (TryParse(text, closed: read == 0) is { } response) return response;
            if (read == 0) throw new IOException($"The connection closed before a whole response came: '{text}'");
        }
    }

    private static Response? TryParse(string text, bool closed)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return null;
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1]);
        var headers = lines[1..].Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var rest = text[(end + 4)..];
        if (headers.TryGetValue("content-length", out var length))
        {
            var size = int.Parse(length);
            return rest.Length >= size ? new Response(status, headers, rest[..size], closed) : null;
        }
        if (headers.GetValueOrDefault("transfer-encoding") == "chunked")
        {
            var body = new StringBuilder();
            var at = 0;
            while (true)
            {
                var lineEnd = rest.IndexOf("\r\n", at, StringComparison.Ordinal);
                if (lineEnd < 0) return null;
                var size = Convert.ToInt32(rest[at..lineEnd], 16);
                if (size == 0) return new Response(status, headers, body.ToString(), closed);
                if (rest.Length < lineEnd + 2 + size + 2) return null;
                body.Append(rest, lineEnd + 2, size);
                at = lineEnd + 2 + size + 2;
            }
        }
        return closed ? new Response(status, headers, rest, closed) : null;
    }
}
