using System.Data;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Registry;

/// <summary>
/// Sets, moves, rolls back and deletes aliases; the API and the dashboard both call it. Each change runs in one
/// transaction under an advisory lock per (task, alias), so concurrent moves of one alias are serialized, and writes
/// the alias, alias_history, audit_log and whatever the <see cref="IAliasChangeRecorder"/>s add, or nothing at all.
/// Rollback undoes the alias's last move: it returns to the version the last history entry came from, so rolling
/// back twice toggles between the two versions. Reading needs read access to the task model (its team's, or shared with
/// the caller's team); changing needs the promoter role in its team (<see cref="TeamAccess"/>): a shared task is read only.
/// </summary>
public sealed class AliasService(
    SlmOpsDbContext db, SlmVersionResolver resolver, TaskModelQueries tasks, IEnumerable<IAliasChangeRecorder> recorders,
    TimeProvider clock)
{
    public async Task<IReadOnlyList<AliasDto>> ListAsync(TeamCaller caller, string task, CancellationToken ct)
    {
        var model = await tasks.FindAsync(caller, TeamRight.Read, task, ct);
        return await db.Aliases.AsNoTracking().Where(a => a.TaskModelId == model.Id).OrderBy(a => a.Name)
            .Select(a => new AliasDto(task, a.Name, a.SlmVersion.Version, a.SlmVersionId, a.UpdatedBy, a.UpdatedAt))
            .ToListAsync(ct);
    }

    public async Task<AliasDto> GetAsync(TeamCaller caller, string task, string alias, CancellationToken ct)
    {
        var model = await tasks.FindAsync(caller, TeamRight.Read, task, ct);
        return await db.Aliases.AsNoTracking().Where(a => a.TaskModelId == model.Id && a.Name == alias)
                   .Select(a => new AliasDto(task, a.Name, a.SlmVersion.Version, a.SlmVersionId, a.UpdatedBy, a.UpdatedAt))
                   .SingleOrDefaultAsync(ct)
               ?? throw await resolver.AliasNotFoundAsync(task, model.Id, alias, ct);
    }

    public async Task<IReadOnlyList<AliasHistoryDto>> HistoryAsync(TeamCaller caller, string task, string alias, CancellationToken ct)
    {
        var model = await tasks.FindAsync(caller, TeamRight.Read, task, ct);
        var entries = await db.AliasHistory.AsNoTracking().Where(h => h.TaskModelId == model.Id && h.AliasName == alias)
            .OrderByDescending(h => h.Id).ToListAsync(ct);
        var numbers = await VersionNumbersAsync(entries.SelectMany(e => new[] { e.FromSlmVersionId, e.ToSlmVersionId }), ct);
        return entries.Select(e => new AliasHistoryDto(e.Id, e.AliasName, RegistryJson.Name(e.Action),
            Number(numbers, e.FromSlmVersionId), Number(numbers, e.ToSlmVersionId), e.Forced, e.Actor, e.Reason, e.At)).ToList();
    }

    /// <summary>Whether <paramref name="version"/> may take <paramref name="alias"/> now; changes nothing.</summary>
    public async Task<GateResultDto> CheckGateAsync(TeamCaller caller, string task, string alias, int? version, CancellationToken ct)
    {
        var model = await tasks.FindAsync(caller, TeamRight.Read, task, ct);
        AliasNames.EnsureValid(alias);
        if (version is null)
            throw new RegistryBadRequestException($"Say which version to check: GET /api/v1/task-models/{task}/aliases/{alias}/gate?version=<n>.");
        var candidate = await VersionByNumberAsync(model, version.Value, ct);
        var holder = await db.Aliases.AsNoTracking().Where(a => a.TaskModelId == model.Id && a.Name == alias)
            .Select(a => a.SlmVersion).SingleOrDefaultAsync(ct);
        return PromotionGate.Evaluate(task, alias, candidate, holder);
    }

    /// <summary>Points <paramref name="alias"/> at a version (creating it if needed). Pointing it where it already points changes nothing.</summary>
    public async Task<AliasDto> SetAsync(string task, string alias, SetAliasRequest request, TeamCaller caller, CancellationToken ct)
    {
        var actor = caller.Name;
        AliasNames.EnsureValid(alias);
        if ((request.Version is null) == (request.SlmVersionId is null))
        {
            throw new RegistryBadRequestException("Name the version to point at: give either version (its number in this task) or slmVersionId, not both.");
        }
        var reason = Reason(request.Reason);
        if (request.Force && reason is null)
        {
            throw new RegistryBadRequestException("force=true overrides the promotion gate and needs a reason; say why in reason.");
        }
        // A 400 above reads the same for every task, seen or not; the team rule decides the rest (404 hidden, 403 shared).
        var model = await tasks.FindAsync(caller, TeamRight.Promote, task, ct);

        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        await LockAsync(task, alias, ct);
        var candidate = request.Version is { } number
            ? await VersionByNumberAsync(model, number, ct)
            : await VersionByIdAsync(model, request.SlmVersionId!.Value, ct);
        var existing = await db.Aliases.Include(a => a.SlmVersion).SingleOrDefaultAsync(a => a.TaskModelId == model.Id && a.Name == alias, ct);
        if (existing?.SlmVersionId == candidate.Id)
        {
            return ToDto(task, existing, candidate);
        }

        var gate = PromotionGate.Evaluate(task, alias, candidate, existing?.SlmVersion);
        if (!gate.Passes && !request.Force)
        {
            var title = IsUnevaluated(candidate) ? "Version not evaluated" : "Promotion gate failed";
            throw new RegistryConflictException(title, gate.Reason, new Dictionary<string, object?> { ["gate"] = gate });
        }

        var forced = !gate.Passes;
        var from = existing?.SlmVersion;
        if (existing is null)
        {
            existing = new Alias { TaskModelId = model.Id, Name = alias, SlmVersionId = candidate.Id, UpdatedBy = actor };
            db.Aliases.Add(existing);
        }
        else
        {
            existing.SlmVersion = candidate;
            existing.SlmVersionId = candidate.Id;
            existing.UpdatedBy = actor;
        }
        existing.UpdatedAt = clock.GetUtcNow();
        var change = await RecordAsync(model, alias, from is null ? AliasAction.Create : AliasAction.Promote, from, candidate, forced, actor, reason, ct);
        await transaction.CommitAsync(ct);
        await CommittedAsync(change, ct);
        return ToDto(task, existing, candidate);
    }

    /// <summary>Moves <paramref name="alias"/> back to the version its last move came from (not gated).</summary>
    public async Task<AliasDto> RollbackAsync(string task, string alias, string? reason, TeamCaller caller, CancellationToken ct)
    {
        AliasNames.EnsureValid(alias);
        reason = Reason(reason);
        var actor = caller.Name;
        var model = await tasks.FindAsync(caller, TeamRight.Promote, task, ct);

        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        await LockAsync(task, alias, ct);
        var existing = await db.Aliases.Include(a => a.SlmVersion).SingleOrDefaultAsync(a => a.TaskModelId == model.Id && a.Name == alias, ct)
            ?? throw await resolver.AliasNotFoundAsync(task, model.Id, alias, ct);
        var last = await db.AliasHistory.AsNoTracking().Where(h => h.TaskModelId == model.Id && h.AliasName == alias)
            .OrderByDescending(h => h.Id).FirstOrDefaultAsync(ct);
        if (last?.FromSlmVersionId is not { } previousId || last.Action == AliasAction.Delete)
        {
            throw new RegistryConflictException("Nothing to roll back to",
                $"Alias '{alias}' of task '{task}' has no earlier version to return to (it was set at version {existing.SlmVersion.Version} and not moved since, or the earlier version was deleted). " +
                $"Point it at a version with PUT /api/v1/task-models/{task}/aliases/{alias}.");
        }
        var previous = await db.SlmVersions.SingleAsync(v => v.Id == previousId, ct);
        var from = existing.SlmVersion;
        existing.SlmVersion = previous;
        existing.SlmVersionId = previous.Id;
        existing.UpdatedBy = actor;
        existing.UpdatedAt = clock.GetUtcNow();
        var change = await RecordAsync(model, alias, AliasAction.Rollback, from, previous, false, actor, reason, ct);
        await transaction.CommitAsync(ct);
        await CommittedAsync(change, ct);
        return ToDto(task, existing, previous);
    }

    /// <summary>Removes <paramref name="alias"/>; its history stays.</summary>
    public async Task DeleteAsync(string task, string alias, string? reason, TeamCaller caller, CancellationToken ct)
    {
        AliasNames.EnsureValid(alias);
        reason = Reason(reason);
        var actor = caller.Name;
        var model = await tasks.FindAsync(caller, TeamRight.Promote, task, ct);

        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        await LockAsync(task, alias, ct);
        var existing = await db.Aliases.Include(a => a.SlmVersion).SingleOrDefaultAsync(a => a.TaskModelId == model.Id && a.Name == alias, ct)
            ?? throw await resolver.AliasNotFoundAsync(task, model.Id, alias, ct);
        db.Aliases.Remove(existing);
        var change = await RecordAsync(model, alias, AliasAction.Delete, existing.SlmVersion, null, false, actor, reason, ct);
        await transaction.CommitAsync(ct);
        await CommittedAsync(change, ct);
    }

    private async Task<AliasChange> RecordAsync(
        TaskModel model, string alias, AliasAction action, SlmVersion? from, SlmVersion? to, bool forced, string actor, string? reason,
        CancellationToken ct)
    {
        var at = clock.GetUtcNow();
        var history = new AliasHistoryEntry
        {
            TaskModelId = model.Id, AliasName = alias, Action = action, FromSlmVersionId = from?.Id, ToSlmVersionId = to?.Id,
            Forced = forced, Actor = actor, Reason = reason, At = at,
        };
        db.AliasHistory.Add(history);
        var auditAction = action switch
        {
            AliasAction.Create => "alias.set",
            AliasAction.Promote => "alias.move",
            AliasAction.Rollback => "alias.rollback",
            _ => "alias.delete",
        };
        db.AuditLog.Add(new AuditLogEntry
        {
            Actor = actor, Action = auditAction, EntityKind = AuditEntityKinds.Alias, EntityId = $"{model.Name}@{alias}",
            Before = Snapshot(model.Name, alias, from, false), After = Snapshot(model.Name, alias, to, forced), Reason = reason, At = at,
            Team = model.Team,
        });
        await db.SaveChangesAsync(ct);

        var change = new AliasChange(model.Name, alias, auditAction, from?.Version, to?.Version, forced, actor, reason, at, history.Id, model.Team);
        foreach (var recorder in recorders) await recorder.RecordAsync(db, change, ct);
        await db.SaveChangesAsync(ct);
        return change;
    }

    private async Task CommittedAsync(AliasChange change, CancellationToken ct)
    {
        foreach (var recorder in recorders) await recorder.CommittedAsync(change, ct);
    }

    private static string? Snapshot(string task, string alias, SlmVersion? version, bool forced) => version is null
        ? null
        : JsonSerializer.Serialize(forced
            ? new Dictionary<string, object> { ["task"] = task, ["alias"] = alias, ["version"] = version.Version, ["slm_version_id"] = version.Id, ["forced"] = true }
            : new Dictionary<string, object> { ["task"] = task, ["alias"] = alias, ["version"] = version.Version, ["slm_version_id"] = version.Id });

    // Serializes changes of one alias across web nodes; released with the transaction.
    private Task LockAsync(string task, string alias, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({"alias:" + task}), hashtext({alias}))", ct);

    private async Task<SlmVersion> VersionByNumberAsync(TaskModel model, int version, CancellationToken ct) =>
        await db.SlmVersions.SingleOrDefaultAsync(v => v.TaskModelId == model.Id && v.Version == version, ct)
        ?? throw await resolver.VersionNotFoundAsync(model.Name, model.Id, version, ct);

    private async Task<SlmVersion> VersionByIdAsync(TaskModel model, long id, CancellationToken ct)
    {
        var found = await db.SlmVersions.Include(v => v.TaskModel).SingleOrDefaultAsync(v => v.Id == id, ct)
            ?? throw new RegistryNotFoundException("SLM version not found",
                $"No SLM version has id {id}. GET /api/v1/task-models/{model.Name}/versions lists the versions of '{model.Name}'.");
        return found.TaskModelId == model.Id
            ? found
            : throw new RegistryConflictException("Version belongs to another task",
                $"SLM version id {id} is version {found.Version} of task '{found.TaskModel.Name}', not of '{model.Name}'; an alias can only point at its own task's versions. " +
                $"GET /api/v1/task-models/{model.Name}/versions lists the versions of '{model.Name}'.");
    }

    private static bool IsUnevaluated(SlmVersion version) => SlmEvaluations.Read(version.EvaluationMetrics, version.DatasetVersionId).IsEmpty;

    private async Task<Dictionary<long, int>> VersionNumbersAsync(IEnumerable<long?> ids, CancellationToken ct)
    {
        var wanted = ids.OfType<long>().Distinct().ToList();
        return await db.SlmVersions.AsNoTracking().Where(v => wanted.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Version, ct);
    }

    private static int? Number(Dictionary<long, int> numbers, long? id) => id is { } v && numbers.TryGetValue(v, out var n) ? n : null;

    private static AliasDto ToDto(string task, Alias alias, SlmVersion version) =>
        new(task, alias.Name, version.Version, version.Id, alias.UpdatedBy, alias.UpdatedAt);

    /// <summary>A reason as stored (trimmed, null when blank), refused when it has characters or a length that cannot be stored.</summary>
    private static string? Reason(string? reason)
    {
        if (InputText.Problem("reason", reason, InputText.MaxReasonLength, multiline: true) is { } problem)
            throw new RegistryBadRequestException(problem);
        return string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
    }
}
