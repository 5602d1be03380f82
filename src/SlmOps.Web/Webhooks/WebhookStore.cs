using System.Text.Json;
using Npgsql;
using SlmOps.Web.Registry;

namespace SlmOps.Web.Webhooks;

/// <summary>Subscriptions and their deliveries (schema webhooks, plain SQL: EF maps only the public schema).</summary>
public sealed class WebhookStore(NpgsqlDataSource dataSource, WebhookTargetGuard targets)
{
    public const int DeliveryPageSize = 100;

    /// <summary>Subscribes a url to <paramref name="defaultTeam"/>'s alias changes, or to those of the team the request names.</summary>
    public async Task<CreatedWebhookDto> CreateAsync(CreateWebhookRequest request, string actor, string defaultTeam, CancellationToken ct)
    {
        if (InputText.Problem("url", request.Url, InputText.MaxUrlLength) is { } urlProblem) throw new RegistryBadRequestException(urlProblem);
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new RegistryBadRequestException($"url must be an absolute http or https address, e.g. https://ci.example.com/hooks/slmops; got '{request.Url}'.");
        }
        if (await targets.RefusalAsync(url, ct) is { } refusal)
        {
            throw new RegistryBadRequestException(refusal, new Dictionary<string, object?> { ["field"] = "url", ["setting"] = WebhookTargetGuard.Setting });
        }
        var events = (request.Events ?? []).Distinct().ToList();
        if (events.Count == 0 || events.Any(e => !WebhookEvents.All.Contains(e)))
        {
            throw new RegistryBadRequestException(
                $"events must list at least one of: {string.Join(", ", WebhookEvents.All)}; got [{string.Join(", ", events)}].");
        }
        if (request.Secret is { } given && given.Length < 16)
        {
            throw new RegistryBadRequestException("secret must be at least 16 characters; leave it out to have one generated.");
        }
        var secret = request.Secret ?? WebhookSignature.NewSecret();
        var team = request.Team?.Trim() ?? defaultTeam;
        if (Teams.TeamNames.Problem(team) is { } teamProblem) throw new RegistryBadRequestException($"team: {teamProblem}");
        await using (var known = dataSource.CreateCommand("SELECT count(*) FROM teams WHERE name = $1"))
        {
            known.Parameters.Add(new NpgsqlParameter { Value = team });
            if ((long)(await known.ExecuteScalarAsync(ct))! == 0) throw Teams.TeamService.NotFound(team);
        }

        // One statement: the subscription and its audit entry (never the secret) commit together.
        await using var command = dataSource.CreateCommand($"""
            WITH created AS (
                INSERT INTO webhooks.subscriptions (url, secret, events, created_by, team) VALUES ($1, $2, $3, $4, $5)
                RETURNING id, url, events, team, created_at),
            audited AS (
                INSERT INTO audit_log (actor, action, entity_kind, entity_id, after, team)
                SELECT $4, 'webhook.create', '{AuditEntityKinds.Webhook}', id::text, {Snapshot}, team FROM created)
            SELECT id, created_at FROM created
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = url.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = secret });
        command.Parameters.Add(new NpgsqlParameter { Value = events.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = actor });
        command.Parameters.Add(new NpgsqlParameter { Value = team });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new CreatedWebhookDto(reader.GetInt64(0), url.ToString(), events, team, actor, reader.GetFieldValue<DateTimeOffset>(1), secret);
    }

    /// <summary>The subscriptions, of one team when <paramref name="team"/> is given.</summary>
    public async Task<IReadOnlyList<WebhookDto>> ListAsync(CancellationToken ct, string? team = null)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, url, events, team, created_by, created_at FROM webhooks.subscriptions WHERE $1::text IS NULL OR team = $1 ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)team ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var result = new List<WebhookDto>();
        while (await reader.ReadAsync(ct))
        {
            result.Add(new WebhookDto(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<string[]>(2), reader.GetString(3),
                reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5)));
        }
        return result;
    }

    /// <summary>Removes a subscription and its deliveries; audited as webhook.delete by <paramref name="actor"/>.</summary>
    public async Task DeleteAsync(long id, string actor, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH deleted AS (DELETE FROM webhooks.subscriptions WHERE id = $1 RETURNING id, url, events, team, created_by, created_at)
            INSERT INTO audit_log (actor, action, entity_kind, entity_id, before, team)
            SELECT $2, 'webhook.delete', '{AuditEntityKinds.Webhook}', id::text, {Snapshot}, team FROM deleted
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = actor });
        if (await command.ExecuteNonQueryAsync(ct) == 0) throw NotFound(id);
    }

    /// <summary>The newest deliveries of a subscription, newest first.</summary>
    public async Task<IReadOnlyList<WebhookDeliveryDto>> ListDeliveriesAsync(long id, CancellationToken ct)
    {
        await using var exists = dataSource.CreateCommand("SELECT count(*) FROM webhooks.subscriptions WHERE id = $1");
        exists.Parameters.Add(new NpgsqlParameter { Value = id });
        if ((long)(await exists.ExecuteScalarAsync(ct))! == 0) throw NotFound(id);

        await using var command = dataSource.CreateCommand($"""
            SELECT id, event, status, attempts, last_status_code, last_error, next_attempt_at, created_at, completed_at, payload::text
            FROM webhooks.deliveries WHERE subscription_id = $1 ORDER BY created_at DESC, id LIMIT {DeliveryPageSize}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var result = new List<WebhookDeliveryDto>();
        while (await reader.ReadAsync(ct))
        {
            using var payload = JsonDocument.Parse(reader.GetString(9));
            result.Add(new WebhookDeliveryDto(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8), payload.RootElement.Clone()));
        }
        return result;
    }

    // What the audit log keeps of a subscription: never its secret.
    private const string Snapshot = "jsonb_build_object('id', id, 'url', url, 'events', to_jsonb(events), 'team', team)";

    private static RegistryNotFoundException NotFound(long id) =>
        new("Webhook not found", $"No webhook has id {id}. GET /api/v1/webhooks lists them.");
}
