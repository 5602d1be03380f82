using System.Collections.Concurrent;
using System.Net;
using System.Text;
using SlmOps.Web.Webhooks;

namespace SlmOps.TestSupport;

/// <summary>
/// A loopback HTTP endpoint that records each POST it is sent, checks its signature with the secret it was given,
/// and answers 500 to the first <c>failFirst</c> requests (200 after that).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(string Body, string? Signature, string? DeliveryId, bool SignatureValid, int AnsweredWith);

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _failuresLeft;

    public WebhookReceiver(int failFirst = 0)
    {
        _failuresLeft = failFirst;
        Url = $"http://127.0.0.1:{TestStack.FreePort()}/hooks/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>The subscription's secret, known once the subscription is created.</summary>
    public string Secret { get; set; } = "";

    public ConcurrentQueue<Received> Requests { get; } = new();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }

            using var buffer = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var signature = context.Request.Headers[WebhookSignature.Header];
            var status = Interlocked.Decrement(ref _failuresLeft) >= 0 ? 500 : 200;
            Requests.Enqueue(new Received(Encoding.UTF8.GetString(body), signature,
                context.Request.Headers[WebhookSignature.DeliveryHeader], WebhookSignature.Verify(Secret, body, signature), status));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
