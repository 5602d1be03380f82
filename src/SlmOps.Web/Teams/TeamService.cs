using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Registry;

namespace SlmOps.Web.Teams;

/// <summary>
/// Teams as admins manage them: create, change description and quotas, name the platform team, move keys between
/// teams, delete an empty team. Every change is written to audit_log (kind <c>team</c>) in the same transaction.
/// Refusals are <see cref="RegistryException"/>s (400, 404, 409) whose message says what to do.
/// </summary>
public sealed class TeamService(SlmOpsDbContext db, TeamAccess access, TimeProvider clock)
{
    public async Task<IReadOnlyList<TeamDto>> ListAsync(TeamCaller caller, CancellationToken ct) =>
        (await access.Teams(caller).AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct)).Select(ToDto).ToList();

    /// <summary>A team the caller sees, with what it owns; members only for admins. 404 for a team it does not see.</summary>
    public async Task<TeamDetailDto> GetAsync(TeamCaller caller, string name, CancellationToken ct)
    {
        var team = await access.Teams(caller).AsNoTracking().SingleOrDefaultAsync(t => t.Name == name, ct) ?? throw NotFound(name);
        var members = caller.IsAdmin ? await MembersAsync(name, ct) : null;
        return new TeamDetailDto(ToDto(team), await HoldingsAsync(name, ct), members);
    }

    public async Task<TeamDto> CreateAsync(CreateTeamRequest request, string actor, CancellationToken ct)
    {
        var name = request.Name?.Trim();
        if (TeamNames.Problem(name) is { } problem) throw new RegistryBadRequestException(problem);
        var description = Description(request.Description);
        Quotas(request.MaxRunningRuns, request.MaxQueuedRuns);
        if (await db.Teams.AnyAsync(t => t.Name == name, ct)) throw Duplicate(name!);
        var team = new Team
        {
            Name = name!, Description = description, MaxRunningRuns = request.MaxRunningRuns, MaxQueuedRuns = request.MaxQueuedRuns,
            CreatedBy = actor, CreatedAt = clock.GetUtcNow(),
        };
        db.Teams.Add(team);
        db.AuditLog.Add(Audit(actor, "team.create", team.Name, null, team));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException error) when (error.GetBaseException() is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw Duplicate(team.Name); // created by someone else between the check and the insert
        }
        return ToDto(team);
    }

    public async Task<TeamDto> UpdateAsync(string name, UpdateTeamRequest request, string actor, CancellationToken ct)
    {
        var description = Description(request.Description);
        Quotas(request.MaxRunningRuns, request.MaxQueuedRuns);
        var team = await db.Teams.SingleOrDefaultAsync(t => t.Name == name, ct) ?? throw NotFound(name);
        var before = Snapshot(team);
        (team.Description, team.MaxRunningRuns, team.MaxQueuedRuns) = (description, request.MaxRunningRuns, request.MaxQueuedRuns);
        db.AuditLog.Add(Audit(actor, "team.update", name, before, team));
        await db.SaveChangesAsync(ct);
        return ToDto(team);
    }

    /// <summary>Makes <paramref name="name"/> the platform team (the one whose editors make base models); the old one stops being it.</summary>
    public async Task<TeamDto> MakePlatformAsync(string name, string actor, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var team = await db.Teams.SingleOrDefaultAsync(t => t.Name == name, ct) ?? throw NotFound(name);
        if (team.Platform) return ToDto(team);
        var before = Snapshot(team);
        // The unique index allows one platform team: clear the old flag before setting the new one.
        await db.Teams.Where(t => t.Platform).ExecuteUpdateAsync(s => s.SetProperty(t => t.Platform, false), ct);
        team.Platform = true;
        db.AuditLog.Add(Audit(actor, "team.platform", name, before, team));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return ToDto(team);
    }

    /// <summary>Deletes a team that owns nothing; the default and the platform team stay.</summary>
    public async Task DeleteAsync(string name, string actor, CancellationToken ct)
    {
        var team = await db.Teams.SingleOrDefaultAsync(t => t.Name == name, ct) ?? throw NotFound(name);
        if (team.Name == Team.DefaultName)
            throw new RegistryConflictException("The default team cannot be deleted",
                $"Team '{Team.DefaultName}' receives the keys made without a team and everything from before teams existed; it stays.");
        if (team.Platform)
            throw new RegistryConflictException("The platform team cannot be deleted",
                $"Team '{name}' is the platform team (it owns the base models). Make another team the platform team first: POST /api/v1/teams/{{other}}/platform.");
        var holdings = await HoldingsAsync(name, ct);
        if (!holdings.IsEmpty) throw Owns(name, holdings);
        db.Teams.Remove(team);
        db.AuditLog.Add(Audit(actor, "team.delete", name, Snapshot(team), null));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException error) when (error.GetBaseException() is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation })
        {
            throw Owns(name, await HoldingsAsync(name, ct)); // something was made in the team meanwhile
        }
    }

    /// <summary>The team's API keys (admins).</summary>
    public async Task<IReadOnlyList<TeamMemberDto>> MembersAsync(string name, CancellationToken ct)
    {
        if (!await db.Teams.AnyAsync(t => t.Name == name, ct)) throw NotFound(name);
        var now = clock.GetUtcNow();
        return (await db.ApiKeys.AsNoTracking().Where(k => k.Team == name).OrderBy(k => k.Name).ToListAsync(ct))
            .Select(k => new TeamMemberDto(k.Prefix, k.Name, ApiRoles.Name(k.Role), k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now)))
            .ToList();
    }

    public async Task<TeamHoldingsDto> HoldingsAsync(string name, CancellationToken ct)
    {
        return new TeamHoldingsDto(
            await db.Datasets.CountAsync(d => d.Team == name, ct), await db.Runs.CountAsync(r => r.Team == name, ct),
            await db.TaskModels.CountAsync(t => t.Team == name, ct), await db.ApiKeys.CountAsync(k => k.Team == name, ct),
            (await db.Database.SqlQuery<int>($"""SELECT count(*)::int AS "Value" FROM webhooks.subscriptions WHERE team = {name}""").ToListAsync(ct)).Single());
    }

    /// <summary>Throws the 404 for a team that does not exist (or that the caller does not see).</summary>
    public static RegistryNotFoundException NotFound(string name) =>
        new("Team not found", $"There is no team named '{name}'. GET /api/v1/teams lists the teams (an admin creates them with POST /api/v1/teams).");

    private static RegistryConflictException Duplicate(string name) =>
        new("The team exists", $"A team named '{name}' already exists; choose another name, or use it as it is (GET /api/v1/teams/{name}).");

    private static RegistryConflictException Owns(string name, TeamHoldingsDto holdings) =>
        new("The team owns objects", $"Team '{name}' owns {holdings}; delete them or move its keys to another team " +
            $"(PUT /api/v1/teams/{{other}}/members/{{prefix}}) before deleting it.",
            new Dictionary<string, object?> { ["holdings"] = holdings });

    private static string? Description(string? description)
    {
        if (InputText.Problem("description", description, InputText.MaxDescriptionLength, multiline: true) is { } problem)
            throw new RegistryBadRequestException(problem);
        return string.IsNullOrWhiteSpace(description) ? null : description.Trim();
    }

    private static void Quotas(int? maxRunning, int? maxQueued)
    {
        if (maxRunning is < 1) throw new RegistryBadRequestException($"maxRunningRuns must be at least 1, or null for no limit; got {maxRunning}.");
        if (maxQueued is < 1) throw new RegistryBadRequestException($"maxQueuedRuns must be at least 1, or null for no limit; got {maxQueued}.");
    }

    private AuditLogEntry Audit(string actor, string action, string team, string? before, Team? after) => new()
    {
        Actor = actor, Action = action, EntityKind = AuditEntityKinds.Team, EntityId = team, Before = before,
        After = after is null ? null : Snapshot(after), At = clock.GetUtcNow(), Team = team,
    };

    private static string Snapshot(Team team) => JsonSerializer.Serialize(new
    {
        name = team.Name, description = team.Description, platform = team.Platform,
        maxRunningRuns = team.MaxRunningRuns, maxQueuedRuns = team.MaxQueuedRuns,
    });

    public static TeamDto ToDto(Team t) => new(t.Name, t.Description, t.Platform, t.MaxRunningRuns, t.MaxQueuedRuns, t.CreatedBy, t.CreatedAt);
}
