using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Apis;

/// <summary>
/// Teams (admin-managed): each owns datasets, runs and task models, and its API keys act inside it. Everyone lists the
/// teams they see (admins: all; others: their own and the platform team).
/// </summary>
public static class TeamsApi
{
    public static IEndpointRouteBuilder MapTeamsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/teams").WithTags("Teams").RequireApiRole(ApiKeyRole.Viewer);
        group.MapGet("/", ListTeams).WithName(nameof(ListTeams))
            .WithSummary("The teams the key sees: all to admins; otherwise its own team and the platform team (which owns the base models)");
        group.MapGet("/{name}", GetTeam).WithName(nameof(GetTeam))
            .WithSummary("A team with its quotas and what it owns; admins also see its member keys").ProducesProblem(StatusCodes.Status404NotFound);
        var admin = group.MapGroup("/").RequireApiRole(ApiKeyRole.Admin);
        admin.MapPost("/", CreateTeam).WithName(nameof(CreateTeam))
            .WithSummary("Create a team {name: [a-z0-9-]{1,64}, description?, maxRunningRuns?, maxQueuedRuns?}")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPut("/{name}", UpdateTeam).WithName(nameof(UpdateTeam))
            .WithSummary("Replace a team's description and quotas (null: none, no limit)")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapDelete("/{name}", DeleteTeam).WithName(nameof(DeleteTeam))
            .WithSummary("Delete a team that owns nothing (409 names what it owns); the default and the platform team stay")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPost("/{name}/platform", MakePlatformTeam).WithName(nameof(MakePlatformTeam))
            .WithSummary("Make this the platform team: it owns the base models, and its editors pretrain and register them")
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPut("/{name}/members/{prefix}", MoveApiKey).WithName(nameof(MoveApiKey))
            .WithSummary("Move an API key (by prefix) into this team; its role is then its role there")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Ok<IReadOnlyList<TeamDto>>> ListTeams(ClaimsPrincipal user, TeamService teams, CancellationToken ct) =>
        TypedResults.Ok(await teams.ListAsync(TeamCaller.Of(user), ct));

    public static async Task<Ok<TeamDetailDto>> GetTeam(string name, ClaimsPrincipal user, TeamService teams, CancellationToken ct) =>
        TypedResults.Ok(await teams.GetAsync(TeamCaller.Of(user), name, ct));

    public static async Task<Created<TeamDto>> CreateTeam(CreateTeamRequest body, ClaimsPrincipal user, TeamService teams, CancellationToken ct)
    {
        var team = await teams.CreateAsync(body, ApiKeyPrincipal.ActorOf(user), ct);
        return TypedResults.Created($"/api/v1/teams/{team.Name}", team);
    }

    public static async Task<Ok<TeamDto>> UpdateTeam(string name, UpdateTeamRequest body, ClaimsPrincipal user, TeamService teams, CancellationToken ct) =>
        TypedResults.Ok(await teams.UpdateAsync(name, body, ApiKeyPrincipal.ActorOf(user), ct));

    public static async Task<NoContent> DeleteTeam(string name, ClaimsPrincipal user, TeamService teams, CancellationToken ct)
    {
        await teams.DeleteAsync(name, ApiKeyPrincipal.ActorOf(user), ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<TeamDto>> MakePlatformTeam(string name, ClaimsPrincipal user, TeamService teams, CancellationToken ct) =>
        TypedResults.Ok(await teams.MakePlatformAsync(name, ApiKeyPrincipal.ActorOf(user), ct));

    public static async Task<Ok<ApiKeyDto>> MoveApiKey(
        string name, string prefix, ClaimsPrincipal user, TeamService teams, ApiKeyService keys, TimeProvider clock, CancellationToken ct)
    {
        await teams.GetAsync(TeamCaller.Of(user), name, ct); // 404 naming the team when it does not exist
        var key = await keys.MoveAsync(prefix, name, ApiKeyPrincipal.ActorOf(user), ct)
                  ?? throw new RegistryNotFoundException("API key not found", $"No API key has prefix '{prefix}'. GET /api/v1/api-keys lists them.");
        return TypedResults.Ok(ApiKeyDto.From(key, clock.GetUtcNow()));
    }
}
