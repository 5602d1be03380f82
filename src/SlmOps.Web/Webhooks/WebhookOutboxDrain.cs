using Hangfire;
using Npgsql;

namespace SlmOps.Web.Webhooks;

/// <summary>
/// Hands the outbox to Hangfire: every pending delivery no job has yet gets a <see cref="WebhookDeliveryJob"/>, and
/// the job's id is written on the row. Runs as the recurring job <see cref="Id"/> (every Webhooks:DrainInterval) and
/// right after each alias change commits; never two at once. A host that stops between enqueueing a job and writing
/// its id leaves the row to the next drain, whose second job finds the delivery already handled or locked.
/// </summary>
public sealed class WebhookOutboxDrain(NpgsqlDataSource database, IBackgroundJobClient jobs, WebhookOptions options)
{
    public const string Id = "drain-webhook-outbox";

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var drained = 0;
        while (true)
        {
            var batch = await UndrainedAsync(cancellationToken);
            foreach (var deliveryId in batch)
            {
                var jobId = jobs.Enqueue<WebhookDeliveryJob>(job => job.DeliverAsync(deliveryId, CancellationToken.None));
                await using var mark = database.CreateCommand("UPDATE webhooks.deliveries SET job_id = $2 WHERE id = $1");
                mark.Parameters.Add(new NpgsqlParameter { Value = deliveryId });
                mark.Parameters.Add(new NpgsqlParameter { Value = jobId });
                await mark.ExecuteNonQueryAsync(CancellationToken.None);
            }
            drained += batch.Count;
            if (batch.Count < options.DrainBatchSize) return drained;
        }
    }

    private async Task<List<Guid>> UndrainedAsync(CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            "SELECT id FROM webhooks.deliveries WHERE status = 'pending' AND job_id IS NULL ORDER BY created_at, id LIMIT $1");
        command.Parameters.Add(new NpgsqlParameter { Value = options.DrainBatchSize });
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
        return ids;
    }
}
