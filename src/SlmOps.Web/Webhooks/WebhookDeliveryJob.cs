using Npgsql;

namespace SlmOps.Web.Webhooks;

/// <summary>
/// The Hangfire job that sends one delivery, one attempt per run: Hangfire retries it after Webhooks:RetryBase,
/// doubling, until Webhooks:MaxAttempts (its AutomaticRetry rule is registered in AddWebhooks). Every attempt is
/// recorded on the delivery row (attempts, last status code or error, next attempt), which
/// GET /api/v1/webhooks/{id}/deliveries shows. The row is locked while it is sent, and a delivery that is no longer
/// pending (sent, given up, subscription deleted) is left alone, so a second job for it sends nothing more.
/// </summary>
public sealed class WebhookDeliveryJob(NpgsqlDataSource database, WebhookSender sender, WebhookOptions options)
{
    public async Task DeliverAsync(Guid deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var read = new NpgsqlCommand("""
            SELECT d.event, d.payload::text, s.url, s.secret, d.attempts
            FROM webhooks.deliveries d JOIN webhooks.subscriptions s ON s.id = d.subscription_id
            WHERE d.id = $1 AND d.status = 'pending'
            FOR UPDATE OF d
            """, connection, transaction);
        read.Parameters.Add(new NpgsqlParameter { Value = deliveryId });
        string eventName, payload, url, secret;
        int attempts;
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken)) return;
            (eventName, payload, url, secret, attempts) =
                (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4) + 1);
        }

        var outcome = await sender.PostAsync(deliveryId, eventName, payload, url, secret, cancellationToken);
        var status = outcome.Error is null ? "succeeded" : attempts >= options.MaxAttempts ? "failed" : "pending";
        await using var record = new NpgsqlCommand("""
            UPDATE webhooks.deliveries
            SET status = $2, attempts = $3, last_status_code = $4, last_error = $5,
                next_attempt_at = CASE WHEN $2 = 'pending' THEN now() + make_interval(secs => $6) ELSE next_attempt_at END,
                completed_at = CASE WHEN $2 = 'pending' THEN NULL ELSE now() END
            WHERE id = $1
            """, connection, transaction);
        record.Parameters.Add(new NpgsqlParameter { Value = deliveryId });
        record.Parameters.Add(new NpgsqlParameter { Value = status });
        record.Parameters.Add(new NpgsqlParameter { Value = attempts });
        record.Parameters.Add(new NpgsqlParameter { Value = (object?)outcome.StatusCode ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        record.Parameters.Add(new NpgsqlParameter { Value = (object?)outcome.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        record.Parameters.Add(new NpgsqlParameter { Value = (double)options.RetryDelaySeconds(attempts) });
        await record.ExecuteNonQueryAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);

        if (outcome.Error is not null) throw new WebhookDeliveryFailedException(deliveryId, attempts, outcome.Error);
    }
}
