using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Registry;

namespace SlmOps.Web.Teams;

/// <summary>
/// Read shares of datasets and task models: the owning team (its editors, or an admin) grants another team read access
/// and takes it back. Each grant and removal is audited (kind <c>share</c>, the owner's team) with the change itself.
/// Unknown objects, and objects the caller does not see, answer 404; seen but not the caller's team's, 403.
/// </summary>
public sealed class ShareService(SlmOpsDbContext db, TeamAccess access, TimeProvider clock)
{
    public async Task<IReadOnlyList<ShareDto>> ListDatasetSharesAsync(TeamCaller caller, string name, CancellationToken ct)
    {
        var dataset = await DatasetAsync(caller, TeamRight.Read, name, ct);
        return await db.DatasetShares.AsNoTracking().Where(s => s.DatasetId == dataset.Id).OrderBy(s => s.Team)
            .Select(s => new ShareDto(TeamAccess.DatasetKind, dataset.Name, dataset.Team, s.Team, s.CreatedBy, s.CreatedAt)).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<ShareDto>> ListTaskModelSharesAsync(TeamCaller caller, string name, CancellationToken ct)
    {
        var task = await TaskModelAsync(caller, TeamRight.Read, name, ct);
        return await db.TaskModelShares.AsNoTracking().Where(s => s.TaskModelId == task.Id).OrderBy(s => s.Team)
            .Select(s => new ShareDto(TeamAccess.TaskModelKind, task.Name, task.Team, s.Team, s.CreatedBy, s.CreatedAt)).ToListAsync(ct);
    }

    /// <summary>Grants <paramref name="team"/> read access to the dataset; granting it again changes nothing. Created: whether it is new.</summary>
    public async Task<(ShareDto Share, bool Created)> ShareDatasetAsync(TeamCaller caller, string name, string? team, CancellationToken ct)
    {
        var dataset = await DatasetAsync(caller, TeamRight.Write, name, ct);
        var grantee = await GranteeAsync(TeamAccess.DatasetKind, dataset.Name, dataset.Team, team, ct);
        var existing = await db.DatasetShares.AsNoTracking().SingleOrDefaultAsync(s => s.DatasetId == dataset.Id && s.Team == grantee, ct);
        if (existing is not null) return (new ShareDto(TeamAccess.DatasetKind, dataset.Name, dataset.Team, grantee, existing.CreatedBy, existing.CreatedAt), false);
        var share = new DatasetShare { DatasetId = dataset.Id, Team = grantee, CreatedBy = caller.Name, CreatedAt = clock.GetUtcNow() };
        db.DatasetShares.Add(share);
        return (await SavedAsync(new ShareDto(TeamAccess.DatasetKind, dataset.Name, dataset.Team, grantee, share.CreatedBy, share.CreatedAt), "share.grant", ct), true);
    }

    public async Task<(ShareDto Share, bool Created)> ShareTaskModelAsync(TeamCaller caller, string name, string? team, CancellationToken ct)
    {
        var task = await TaskModelAsync(caller, TeamRight.Write, name, ct);
        var grantee = await GranteeAsync(TeamAccess.TaskModelKind, task.Name, task.Team, team, ct);
        var existing = await db.TaskModelShares.AsNoTracking().SingleOrDefaultAsync(s => s.TaskModelId == task.Id && s.Team == grantee, ct);
        if (existing is not null) return (new ShareDto(TeamAccess.TaskModelKind, task.Name, task.Team, grantee, existing.CreatedBy, existing.CreatedAt), false);
        var share = new TaskModelShare { TaskModelId = task.Id, Team = grantee, CreatedBy = caller.Name, CreatedAt = clock.GetUtcNow() };
        db.TaskModelShares.Add(share);
        return (await SavedAsync(new ShareDto(TeamAccess.TaskModelKind, task.Name, task.Team, grantee, share.CreatedBy, share.CreatedAt), "share.grant", ct), true);
    }

    public async Task UnshareDatasetAsync(TeamCaller caller, string name, string team, CancellationToken ct)
    {
        var dataset = await DatasetAsync(caller, TeamRight.Write, name, ct);
        var share = await db.DatasetShares.SingleOrDefaultAsync(s => s.DatasetId == dataset.Id && s.Team == team, ct)
            ?? throw ShareNotFound(TeamAccess.DatasetKind, name, team, $"/api/v1/datasets/{name}/shares");
        db.DatasetShares.Remove(share);
        await SavedAsync(new ShareDto(TeamAccess.DatasetKind, dataset.Name, dataset.Team, team, share.CreatedBy, share.CreatedAt), "share.revoke", ct, caller.Name);
    }

    public async Task UnshareTaskModelAsync(TeamCaller caller, string name, string team, CancellationToken ct)
    {
        var task = await TaskModelAsync(caller, TeamRight.Write, name, ct);
        var share = await db.TaskModelShares.SingleOrDefaultAsync(s => s.TaskModelId == task.Id && s.Team == team, ct)
            ?? throw ShareNotFound(TeamAccess.TaskModelKind, name, team, $"/api/v1/task-models/{name}/shares");
        db.TaskModelShares.Remove(share);
        await SavedAsync(new ShareDto(TeamAccess.TaskModelKind, task.Name, task.Team, team, share.CreatedBy, share.CreatedAt), "share.revoke", ct, caller.Name);
    }

    private async Task<Dataset> DatasetAsync(TeamCaller caller, TeamRight right, string name, CancellationToken ct)
    {
        var dataset = await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Name == name, ct);
        var decision = dataset is null ? null : await access.DatasetAsync(caller, right, dataset, ct);
        return Checked(decision, dataset) ?? throw new RegistryNotFoundException("Dataset not found",
            $"There is no dataset named '{name}'. GET /api/v1/datasets lists them.");
    }

    private async Task<TaskModel> TaskModelAsync(TeamCaller caller, TeamRight right, string name, CancellationToken ct)
    {
        var task = await db.TaskModels.AsNoTracking().SingleOrDefaultAsync(t => t.Name == name, ct);
        var decision = task is null ? null : await access.TaskModelAsync(caller, right, task, ct);
        return Checked(decision, task) ?? throw SlmVersionResolver.TaskNotFound(name);
    }

    /// <summary>The object when allowed; null when missing or hidden (the caller's 404); a 403 when seen but refused.</summary>
    private static T? Checked<T>(AccessDecision? decision, T? found) where T : class => decision?.Outcome switch
    {
        AccessOutcome.Allowed => found,
        AccessOutcome.Forbidden => throw new TeamAccessDeniedException(decision),
        _ => null,
    };

    private async Task<string> GranteeAsync(string kind, string name, string owner, string? team, CancellationToken ct)
    {
        team = team?.Trim();
        if (TeamNames.Problem(team) is { } problem) throw new RegistryBadRequestException($"team: {problem}");
        if (team == owner)
            throw new RegistryBadRequestException($"The {kind} '{name}' belongs to team '{owner}' already; share it with another team.");
        if (!await db.Teams.AnyAsync(t => t.Name == team, ct)) throw TeamService.NotFound(team!);
        return team!;
    }

    private async Task<ShareDto> SavedAsync(ShareDto share, string action, CancellationToken ct, string? actor = null)
    {
        var snapshot = JsonSerializer.Serialize(new { kind = share.Kind, @object = share.Object, ownerTeam = share.OwnerTeam, team = share.Team });
        db.AuditLog.Add(new AuditLogEntry
        {
            Actor = actor ?? share.CreatedBy, Action = action, EntityKind = AuditEntityKinds.Share,
            EntityId = $"{share.Kind.Replace(' ', '_')}:{share.Object}:{share.Team}",
            Before = action == "share.revoke" ? snapshot : null, After = action == "share.revoke" ? null : snapshot,
            At = clock.GetUtcNow(), Team = share.OwnerTeam,
        });
        await db.SaveChangesAsync(ct);
        return share;
    }

    private static RegistryNotFoundException ShareNotFound(string kind, string name, string team, string list) =>
        new("Share not found", $"The {kind} '{name}' is not shared with team '{team}'. GET {list} lists its shares.");
}
