using System.Net;

namespace SlmOps.Artifacts;

/// <summary>
/// Which failures of a call to the web host are worth repeating (the connection, a timeout, 502/503/504: a web host
/// restarting or a proxy in between), and the backoff between tries. Anything else (4xx, 500) is an answer.
/// </summary>
public static class Transient
{
    /// <summary>
    /// Tries of one call: about 24 s of backoff (0.25, 0.5, 1, 2, 4, 8, 8 s), longer than a web host restart or a
    /// PostgreSQL restart behind it, so neither fails a run that was only waiting for a file or an answer. One budget for
    /// every call to the web host (tracking and artifacts): a shorter one for files made a restart fail runs.
    /// </summary>
    public const int Attempts = 8;

    public static bool Is(Exception error) => error switch
    {
        HttpRequestException { StatusCode: null } => true,
        HttpRequestException { StatusCode: HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout } => true,
        TaskCanceledException { InnerException: TimeoutException } => true,
        IOException => true,
        _ => false,
    };

    public static bool Is(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    public static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(8000, 250 * Math.Pow(2, attempt - 1)));

    /// <summary>Sends until an answer that is not transient, up to <paramref name="attempts"/> tries.</summary>
    public static async Task<HttpResponseMessage> RetryAsync(Func<Task<HttpResponseMessage>> send, int attempts, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var response = await send();
                if (!Is(response) || attempt >= attempts) return response;
                response.Dispose();
            }
            catch (Exception error) when (Is(error) && attempt < attempts && !cancellation.IsCancellationRequested) { }
            await Task.Delay(Backoff(attempt), cancellation);
        }
    }
}
