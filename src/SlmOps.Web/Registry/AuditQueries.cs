using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Registry;

/// <summary>One audit_log row; before/after are the JSON snapshots as written; Team is the team the entry is about.</summary>
public sealed record AuditEntryDto(
    long Id, string Actor, string Action, string EntityKind, string? EntityId, JsonElement? Before, JsonElement? After, string? Reason,
    DateTimeOffset At, string Team);

/// <summary>A page of audit entries, newest first; <c>NextOffset</c> is null on the last page.</summary>
public sealed record AuditPageDto(IReadOnlyList<AuditEntryDto> Items, int Total, int Offset, int Limit, int? NextOffset);

/// <summary>Filters for the audit log; every one is optional.</summary>
/// <param name="Task">Entries about this task's aliases (entity id <c>task@alias</c>).</param>
/// <param name="Team">Entries about this team (admins; everyone else reads only their own team's).</param>
public sealed record AuditFilter(
    string? EntityKind = null, string? Task = null, DateTimeOffset? Since = null, int Offset = 0, int Limit = 50, string? Team = null);

/// <summary>
/// Reads the append-only audit log, newest first: a team's keys read their own team's entries (never those of
/// <see cref="AuditEntityKinds.AdminOnly"/> kinds); admins read everything.
/// </summary>
public sealed class AuditQueries(SlmOpsDbContext db)
{
    public const int MaxLimit = 500;

    public async Task<AuditPageDto> ListAsync(TeamCaller caller, AuditFilter filter, CancellationToken ct)
    {
        if (filter.Limit is < 1 or > MaxLimit)
        {
            throw new RegistryBadRequestException($"limit must be between 1 and {MaxLimit}; got {filter.Limit}.");
        }
        if (filter.Offset < 0)
        {
            throw new RegistryBadRequestException($"offset must be 0 or more; got {filter.Offset}.");
        }

        var query = db.AuditLog.AsNoTracking();
        if (!caller.IsAdmin)
        {
            query = query.Where(e => e.Team == caller.Team && !AuditEntityKinds.AdminOnly.Contains(e.EntityKind));
        }
        if (filter.Team is { Length: > 0 } team) query = query.Where(e => e.Team == team);
        if (filter.EntityKind is { Length: > 0 } kind) query = query.Where(e => e.EntityKind == kind);
        if (filter.Task is { Length: > 0 } task)
        {
            var prefix = task + "@";
            query = query.Where(e => e.EntityKind == AuditEntityKinds.Alias && e.EntityId != null && e.EntityId.StartsWith(prefix));
        }
        if (filter.Since is { } since) query = query.Where(e => e.At >= since);

        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Skip(filter.Offset).Take(filter.Limit).ToListAsync(ct);
        var items = rows.Select(e => new AuditEntryDto(e.Id, e.Actor, e.Action, e.EntityKind, e.EntityId,
            e.Before is null ? null : RegistryJson.Parse(e.Before), e.After is null ? null : RegistryJson.Parse(e.After), e.Reason, e.At, e.Team)).ToList();
        var next = filter.Offset + items.Count < total ? filter.Offset + items.Count : (int?)null;
        return new AuditPageDto(items, total, filter.Offset, filter.Limit, next);
    }
}
