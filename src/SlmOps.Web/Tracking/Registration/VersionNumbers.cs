using Microsoft.EntityFrameworkCore;
using SlmOps.Data;

namespace SlmOps.Web.Tracking.Registration;

/// <summary>
/// Numbers registry versions the way dataset versions are numbered: the parent row (base model, task model) is
/// inserted or locked with an upsert that returns it, so concurrent registrations of one parent queue on that row
/// lock and each then reads the committed maximum; the rare collision left (a unique violation) is retried by the
/// caller's transaction. Call inside a transaction. The queries are run as written (ToListAsync): EF must not wrap
/// an INSERT ... RETURNING in a subquery, which PostgreSQL refuses.
/// </summary>
public static class VersionNumbers
{
    public static async Task<long> LockBaseModelAsync(SlmOpsDbContext db, string name, string createdBy, CancellationToken ct) =>
        (await db.Database.SqlQuery<long>($"""
            INSERT INTO base_models (name, created_by) VALUES ({name}, {createdBy})
            ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
            RETURNING id AS "Value"
            """).ToListAsync(ct)).Single();

    /// <summary>
    /// The task model of that name in <paramref name="team"/>, made there when new. A name another team owns returns no
    /// row (the submission refused it; this catches a task made by another team in between): the registration fails.
    /// </summary>
    public static async Task<long> LockTaskModelAsync(SlmOpsDbContext db, string name, string createdBy, string team, CancellationToken ct) =>
        (await db.Database.SqlQuery<long>($"""
            INSERT INTO task_models (name, created_by, team) VALUES ({name}, {createdBy}, {team})
            ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name WHERE task_models.team = EXCLUDED.team
            RETURNING id AS "Value"
            """).ToListAsync(ct)).SingleOrDefault() is var id and > 0
            ? id
            : throw new RunInputException($"Task model '{name}' belongs to another team than the run's ('{team}'); submit again with another taskModelName.");

    public static async Task<int> NextBaseModelVersionAsync(SlmOpsDbContext db, long baseModelId, CancellationToken ct) =>
        (await db.Database.SqlQuery<int>($"""SELECT COALESCE(MAX(version), 0) + 1 AS "Value" FROM base_model_versions WHERE base_model_id = {baseModelId}""").ToListAsync(ct)).Single();

    public static async Task<int> NextSlmVersionAsync(SlmOpsDbContext db, long taskModelId, CancellationToken ct) =>
        (await db.Database.SqlQuery<int>($"""SELECT COALESCE(MAX(version), 0) + 1 AS "Value" FROM slm_versions WHERE task_model_id = {taskModelId}""").ToListAsync(ct)).Single();
}
