using System.Net.Http.Headers;
using System.Text;
using Npgsql;

namespace SlmOps.Web.Webhooks;

/// <summary>
/// Sends due deliveries: claims a batch (FOR UPDATE SKIP LOCKED, so several web nodes never send one twice at once,
/// and a lease so a node that dies mid-send leaves it for another), POSTs the stored body signed with the
/// subscription's secret, and records the attempt: succeeded on 2xx, else retried after an exponential backoff until
/// Webhooks:MaxAttempts, then failed.
/// </summary>
internal sealed partial class WebhookDispatcher(
    IServiceProvider services, IHttpClientFactory httpClients, WebhookOptions options, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    private NpgsqlDataSource _dataSource = null!;

    public const string HttpClientName = "webhooks";

    private sealed record Due(Guid Id, string Event, string Payload, string Url, string Secret, int Attempts);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            // Resolved here, not in the constructor, so a host without a database still starts (and says so in /health/ready).
            _dataSource = services.GetRequiredService<NpgsqlDataSource>();
        }
        catch (ArgumentException ex)
        {
            LogPollFailed($"no database ({ex.Message}); webhooks are not sent");
            return;
        }
        using var timer = new PeriodicTimer(options.PollInterval);
        do
        {
            try
            {
                var due = await ClaimAsync(stoppingToken);
                await Task.WhenAll(due.Select(d => DeliverAsync(d, stoppingToken)));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // The database is down or not migrated yet; the next tick tries again.
                LogPollFailed(ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task<List<Due>> ClaimAsync(CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("""
            UPDATE webhooks.deliveries d SET next_attempt_at = now() + $2
            FROM webhooks.subscriptions s
            WHERE s.id = d.subscription_id AND d.id IN (
                SELECT id FROM webhooks.deliveries WHERE status = 'pending' AND next_attempt_at <= now()
                ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING d.id, d.event, d.payload::text, s.url, s.secret, d.attempts
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = options.BatchSize });
        command.Parameters.Add(new NpgsqlParameter { Value = options.Timeout * 2 + TimeSpan.FromSeconds(5) });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var due = new List<Due>();
        while (await reader.ReadAsync(ct))
        {
            due.Add(new Due(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5)));
        }
        return due;
    }

    private async Task DeliverAsync(Due due, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes(due.Payload);
        int? statusCode = null;
        string? error = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, due.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(due.Secret, body));
            request.Headers.Add(WebhookSignature.DeliveryHeader, due.Id.ToString());
            request.Headers.Add(WebhookSignature.EventHeader, due.Event);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.Timeout);
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            statusCode = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode) error = $"The receiver answered {statusCode} {response.ReasonPhrase}.";
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            error = ex is OperationCanceledException ? $"No answer within {options.Timeout.TotalSeconds:0.#} s." : ex.Message;
        }
        await RecordAsync(due, statusCode, error, CancellationToken.None);
    }

    private async Task RecordAsync(Due due, int? statusCode, string? error, CancellationToken ct)
    {
        var attempts = due.Attempts + 1;
        var status = error is null ? "succeeded" : attempts >= options.MaxAttempts ? "failed" : "pending";
        await using var command = _dataSource.CreateCommand("""
            UPDATE webhooks.deliveries
            SET status = $2, attempts = $3, last_status_code = $4, last_error = $5,
                next_attempt_at = CASE WHEN $2 = 'pending' THEN now() + $6 ELSE next_attempt_at END,
                completed_at = CASE WHEN $2 = 'pending' THEN NULL ELSE now() END
            WHERE id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = due.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = status });
        command.Parameters.Add(new NpgsqlParameter { Value = attempts });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)statusCode ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = options.Backoff(attempts) });
        await command.ExecuteNonQueryAsync(ct);
        if (error is not null) LogAttemptFailed(due.Id, attempts, status, error);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook dispatcher could not poll for deliveries: {Reason}")]
    private partial void LogPollFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} attempt {Attempt} failed ({Status}): {Error}")]
    private partial void LogAttemptFailed(Guid deliveryId, int attempt, string status, string error);
}
