using System.Net.Http.Headers;
using System.Text;

namespace SlmOps.Web.Webhooks;

/// <summary>One POST of a delivery: the stored body, signed with the subscription's secret, within Webhooks:Timeout.</summary>
public sealed class WebhookSender(IHttpClientFactory httpClients, WebhookOptions options)
{
    public const string HttpClientName = "webhooks";

    /// <summary>What the receiver answered: its status code (if it answered) and, unless it was 2xx, why the attempt failed.</summary>
    public sealed record Outcome(int? StatusCode, string? Error);

    public async Task<Outcome> PostAsync(Guid deliveryId, string eventName, string payload, string url, string secret, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes(payload);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, body));
            request.Headers.Add(WebhookSignature.DeliveryHeader, deliveryId.ToString());
            request.Headers.Add(WebhookSignature.EventHeader, eventName);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.Timeout);
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            return new Outcome(status, response.IsSuccessStatusCode ? null : $"The receiver answered {status} {response.ReasonPhrase}.");
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return new Outcome(null, ex is OperationCanceledException ? $"No answer within {options.Timeout.TotalSeconds:0.#} s."
                : ex.GetBaseException() is WebhookTargetRefusedException refused ? refused.Message : ex.Message);
        }
    }
}
