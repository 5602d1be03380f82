using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace SlmOps.Serving.Apis;

/// <summary>
/// Writes text/event-stream, starting the response on the first event, so a request refused before its first token is
/// still answered with a status and problem details. Each event is flushed at once.
/// </summary>
internal sealed class ServerSentEvents(HttpResponse response, JsonSerializerOptions json)
{
    public bool Started { get; private set; }

    public async Task WriteAsync(string? name, object data, CancellationToken ct)
    {
        if (!Started)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            Started = true;
        }
        var text = (name is null ? "" : $"event: {name}\n") + $"data: {JsonSerializer.Serialize(data, json)}\n\n";
        await response.WriteAsync(text, ct);
        await response.Body.FlushAsync(ct);
    }
}
