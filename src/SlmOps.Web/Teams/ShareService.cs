using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Registry;

namespace SlmOps.Web.Teams;

/// <summary>What can be shared with another team (read only).</summary>
public enum ShareKind { Dataset, TaskModel }

/// <summary>
/// Read shares of datasets and task models: the owning team (its editors, or an admin) grants another team read access
/// and takes it back. Each grant and removal is audited (kind <c>share</c>, the owner's team) with the change itself.
/// Unknown objects, and objects the caller does not see, answer 404; seen but not the caller's team's, 403.
/// </summary>
public sealed class ShareService(SlmOpsDbContext db, TeamAccess access, TimeProvider clock)
{
    /// <summary>A shared object: its kind, id, name and owning team.</summary>
    private sealed record Owned(ShareKind Kind, long Id, string Name, string Team)
    {
        public string KindName => Kind == ShareKind.Dataset ? TeamAccess.DatasetKind : TeamAccess.TaskModelKind;
        public string SharesPath => Kind == ShareKind.Dataset ? $"/api/v1/datasets/{Name}/shares" : $"/api/v1/task-models/{Name}/shares";
        public ShareDto Dto(string team, string createdBy, DateTimeOffset createdAt) => new(KindName, Name, Team, team, createdBy, createdAt);
    }

    private sealed record Grant(string Team, string CreatedBy, DateTimeOffset CreatedAt);

    public async Task<IReadOnlyList<ShareDto>> ListAsync(TeamCaller caller, ShareKind kind, string name, CancellationToken ct)
    {
        var owned = await ObjectAsync(caller, TeamRight.Read, kind, name, ct);
        return (await Grants(owned).ToListAsync(ct)).Select(g => owned.Dto(g.Team, g.CreatedBy, g.CreatedAt)).ToList();
    }

    /// <summary>Grants <paramref name="team"/> read access; granting it again changes nothing. Created: whether it is new.</summary>
    public async Task<(ShareDto Share, bool Created)> ShareAsync(TeamCaller caller, ShareKind kind, string name, string? team, CancellationToken ct)
    {
        var owned = await ObjectAsync(caller, TeamRight.Write, kind, name, ct);
        var grantee = await GranteeAsync(owned, team, ct);
        if (await Grants(owned, grantee).SingleOrDefaultAsync(ct) is { } existing)
            return (owned.Dto(grantee, existing.CreatedBy, existing.CreatedAt), false);
        var now = clock.GetUtcNow();
        if (kind == ShareKind.Dataset) db.DatasetShares.Add(new DatasetShare { DatasetId = owned.Id, Team = grantee, CreatedBy = caller.Name, CreatedAt = now });
        else db.TaskModelShares.Add(new TaskModelShare { TaskModelId = owned.Id, Team = grantee, CreatedBy = caller.Name, CreatedAt = now });
        var share = owned.Dto(grantee, caller.Name, now);
        await SaveAuditedAsync(share, "share.grant", caller.Name, ct);
        return (share, true);
    }

    public async Task UnshareAsync(TeamCaller caller, ShareKind kind, string name, string team, CancellationToken ct)
    {
        var owned = await ObjectAsync(caller, TeamRight.Write, kind, name, ct);
        var removed = kind == ShareKind.Dataset
            ? await db.DatasetShares.Where(s => s.DatasetId == owned.Id && s.Team == team).ExecuteDeleteAsync(ct)
            : await db.TaskModelShares.Where(s => s.TaskModelId == owned.Id && s.Team == team).ExecuteDeleteAsync(ct);
        if (removed == 0)
            throw new RegistryNotFoundException("Share not found", $"The {owned.KindName} '{name}' is not shared with team '{team}'. GET {owned.SharesPath} lists its shares.");
        await SaveAuditedAsync(owned.Dto(team, caller.Name, clock.GetUtcNow()), "share.revoke", caller.Name, ct);
    }

    /// <summary>The object's shares, or only the one with <paramref name="team"/> (filtered before the projection, which SQL cannot filter).</summary>
    private IQueryable<Grant> Grants(Owned owned, string? team = null) => owned.Kind == ShareKind.Dataset
        ? db.DatasetShares.AsNoTracking().Where(s => s.DatasetId == owned.Id && (team == null || s.Team == team))
            .OrderBy(s => s.Team).Select(s => new Grant(s.Team, s.CreatedBy, s.CreatedAt))
        : db.TaskModelShares.AsNoTracking().Where(s => s.TaskModelId == owned.Id && (team == null || s.Team == team))
            .OrderBy(s => s.Team).Select(s => new Grant(s.Team, s.CreatedBy, s.CreatedAt));

    /// <summary>The object when the caller may do <paramref name="right"/> on it; 404 when missing or hidden, 403 when seen but refused.</summary>
    private async Task<Owned> ObjectAsync(TeamCaller caller, TeamRight right, ShareKind kind, string name, CancellationToken ct)
    {
        AccessDecision? decision = null;
        Owned? owned = null;
        if (kind == ShareKind.Dataset && await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Name == name, ct) is { } dataset)
            (owned, decision) = (new Owned(kind, dataset.Id, dataset.Name, dataset.Team), await access.DatasetAsync(caller, right, dataset, ct));
        if (kind == ShareKind.TaskModel && await db.TaskModels.AsNoTracking().SingleOrDefaultAsync(t => t.Name == name, ct) is { } task)
            (owned, decision) = (new Owned(kind, task.Id, task.Name, task.Team), await access.TaskModelAsync(caller, right, task, ct));
        return decision?.Outcome switch
        {
            AccessOutcome.Allowed => owned!,
            AccessOutcome.Forbidden => throw new TeamAccessDeniedException(decision),
            _ => throw (kind == ShareKind.Dataset
                ? new RegistryNotFoundException("Dataset not found", $"There is no dataset named '{name}'. GET /api/v1/datasets lists them.")
                : SlmVersionResolver.TaskNotFound(name)),
        };
    }

    private async Task<string> GranteeAsync(Owned owned, string? team, CancellationToken ct)
    {
        team = team?.Trim();
        if (TeamNames.Problem(team) is { } problem) throw new RegistryBadRequestException($"team: {problem}");
        if (team == owned.Team)
            throw new RegistryBadRequestException($"The {owned.KindName} '{owned.Name}' belongs to team '{owned.Team}' already; share it with another team.");
        if (!await db.Teams.AnyAsync(t => t.Name == team, ct)) throw TeamService.NotFound(team!);
        return team!;
    }

    private async Task SaveAuditedAsync(ShareDto share, string action, string actor, CancellationToken ct)
    {
        var snapshot = JsonSerializer.Serialize(new { kind = share.Kind, @object = share.Object, ownerTeam = share.OwnerTeam, team = share.Team });
        var revoked = action == "share.revoke";
        db.AuditLog.Add(new AuditLogEntry
        {
            Actor = actor, Action = action, EntityKind = AuditEntityKinds.Share, EntityId = $"{share.Kind.Replace(' ', '_')}:{share.Object}:{share.Team}",
            Before = revoked ? snapshot : null, After = revoked ? null : snapshot, At = clock.GetUtcNow(), Team = share.OwnerTeam,
        });
        await db.SaveChangesAsync(ct);
    }
}
