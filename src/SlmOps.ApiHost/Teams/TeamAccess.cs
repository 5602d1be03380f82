using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;

namespace SlmOps.ApiHost.Teams;

/// <summary>
/// The team rules, in one place (the API, the dashboard and the serving host ask here): which objects a caller sees,
/// and whether it may read, write or promote one. It reads only the caller's claims (<see cref="TeamCaller"/>) and the
/// database.
/// <list type="bullet">
/// <item>Admin and worker keys see and may do everything their role allows, in every team.</item>
/// <item>A key sees its own team's datasets, runs and task models, and the datasets and task models another team shared
/// with its team (read only). Base models belong to the platform team and every team reads them.</item>
/// <item>Writing and promoting never cross teams. Refused on an object the caller sees: 403 naming the owning team and the
/// role needed; on one it does not see: 404, as if it did not exist.</item>
/// </list>
/// </summary>
public sealed class TeamAccess(SlmOpsDbContext db)
{
    public const string DatasetKind = "dataset";
    public const string TaskModelKind = "task model";
    public const string RunKind = "run";
    public const string BaseModelKind = "base model";

    public static ApiKeyRole RoleFor(TeamRight right) => right switch
    {
        TeamRight.Read => ApiKeyRole.Viewer,
        TeamRight.Write => ApiKeyRole.Editor,
        _ => ApiKeyRole.Promoter,
    };

    /// <summary>The datasets the caller sees: its team's, and those shared with its team.</summary>
    public IQueryable<Dataset> Datasets(TeamCaller caller) => caller.SeesEveryTeam
        ? db.Datasets
        : db.Datasets.Where(d => d.Team == caller.Team || db.DatasetShares.Any(s => s.DatasetId == d.Id && s.Team == caller.Team));

    /// <summary>The task models the caller sees: its team's, and those shared with its team.</summary>
    public IQueryable<TaskModel> TaskModels(TeamCaller caller) => caller.SeesEveryTeam
        ? db.TaskModels
        : db.TaskModels.Where(t => t.Team == caller.Team || db.TaskModelShares.Any(s => s.TaskModelId == t.Id && s.Team == caller.Team));

    /// <summary>The runs the caller sees: its team's (runs are never shared).</summary>
    public IQueryable<Run> Runs(TeamCaller caller) => caller.SeesEveryTeam ? db.Runs : db.Runs.Where(r => r.Team == caller.Team);

    /// <summary>The teams the caller sees: all for admins; otherwise its own and the platform team (which owns the base models).</summary>
    public IQueryable<Team> Teams(TeamCaller caller) => caller.SeesEveryTeam
        ? db.Teams
        : db.Teams.Where(t => t.Name == caller.Team || t.Platform);

    public async Task<AccessDecision> DatasetAsync(TeamCaller caller, TeamRight right, Dataset dataset, CancellationToken ct) =>
        Decide(caller, right, DatasetKind, dataset.Name, dataset.Team,
            dataset.Team != caller.Team && !caller.SeesEveryTeam
            && await db.DatasetShares.AnyAsync(s => s.DatasetId == dataset.Id && s.Team == caller.Team, ct));

    public async Task<AccessDecision> TaskModelAsync(TeamCaller caller, TeamRight right, TaskModel task, CancellationToken ct) =>
        Decide(caller, right, TaskModelKind, task.Name, task.Team,
            task.Team != caller.Team && !caller.SeesEveryTeam
            && await db.TaskModelShares.AnyAsync(s => s.TaskModelId == task.Id && s.Team == caller.Team, ct));

    /// <summary>Whether the caller may read the task model named <paramref name="task"/>; null when no such task exists.
    /// The serving host asks this before generating with a task's SLM.</summary>
    public async Task<AccessDecision?> TaskModelAsync(TeamCaller caller, TeamRight right, string task, CancellationToken ct) =>
        await db.TaskModels.AsNoTracking().SingleOrDefaultAsync(t => t.Name == task, ct) is { } found
            ? await TaskModelAsync(caller, right, found, ct)
            : null;

    public static AccessDecision Run(TeamCaller caller, TeamRight right, Run run) =>
        Decide(caller, right, RunKind, run.Name ?? run.Id.ToString(), run.Team, sharedWithCaller: false);

    /// <summary>Making base models (pretraining, registering): admins, or the platform team's editors.</summary>
    public async Task<AccessDecision> NewBaseModelAsync(TeamCaller caller, string name, CancellationToken ct) =>
        Decide(caller, TeamRight.Write, BaseModelKind, name, await PlatformTeamAsync(ct), sharedWithCaller: true);

    /// <summary>The name of the platform team, which owns every base model.</summary>
    public async Task<string> PlatformTeamAsync(CancellationToken ct) =>
        await db.Teams.AsNoTracking().Where(t => t.Platform).Select(t => t.Name).SingleOrDefaultAsync(ct) ?? Team.DefaultName;

    /// <summary>
    /// The rule itself. <paramref name="sharedWithCaller"/>: the owner granted the caller's team read access (base
    /// models count as shared with everyone).
    /// </summary>
    public static AccessDecision Decide(TeamCaller caller, TeamRight right, string kind, string name, string owner, bool sharedWithCaller)
    {
        var roleSuffices = caller.IsAdmin || (caller.Role is { } role && role >= RoleFor(right)); // a worker key only reads
        AccessOutcome outcome;
        if (caller.SeesEveryTeam) outcome = caller.IsAdmin || right == TeamRight.Read ? AccessOutcome.Allowed : AccessOutcome.Forbidden;
        else if (owner == caller.Team) outcome = roleSuffices ? AccessOutcome.Allowed : AccessOutcome.Forbidden;
        else if (!sharedWithCaller) outcome = AccessOutcome.NotFound;
        else outcome = right == TeamRight.Read ? AccessOutcome.Allowed : AccessOutcome.Forbidden;
        return new AccessDecision(outcome, kind, name, owner, right, caller);
    }
}
