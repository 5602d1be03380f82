using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Apis;

/// <summary>API key management (admin only): issue a key (shown once), list keys, revoke one.</summary>
public static class ApiKeysApi
{
    public const int MaxNameLength = 100;

    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/api-keys").WithTags("API keys").RequireApiRole(ApiKeyRole.Admin);
        group.MapPost("/", CreateApiKey).WithName(nameof(CreateApiKey))
            .WithSummary("Issue a key {name, role: viewer|editor|promoter|admin|worker, team? (default 'default'), expiresAt?}; the answer holds the key, shown this once")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/", ListApiKeys).WithName(nameof(ListApiKeys))
            .WithSummary("Keys with prefix, name, role, creation, last use and revocation (never the secret); includeRevoked=false hides revoked ones");
        group.MapDelete("/{prefix}", RevokeApiKey).WithName(nameof(RevokeApiKey))
            .WithSummary("Revoke a key by its prefix; the last active admin key cannot be revoked")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Created<CreatedApiKeyDto>, ValidationProblem>> CreateApiKey(
        CreateApiKeyRequest body, ClaimsPrincipal user, ApiKeyService keys, SlmOpsDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = body.Name?.Trim();
        if (InputText.Problem("name", name, MaxNameLength) is { } nameProblem)
            errors["name"] = [nameProblem];
        else if (string.IsNullOrEmpty(name))
            errors["name"] = [$"Required: 1 to {MaxNameLength} characters naming who or what uses the key (it becomes created_by of their runs)."];
        if (!ApiRoles.TryParse(body.Role, out var role))
            errors["role"] = [$"Must be one of {ApiRoles.Allowed}; got '{body.Role}'."];
        if (body.ExpiresAt is { } expires && expires <= clock.GetUtcNow())
            errors["expiresAt"] = [$"Must be in the future; got {expires:O}."];
        var team = body.Team?.Trim() ?? Team.DefaultName;
        if (TeamNames.Problem(team) is { } teamProblem)
            errors["team"] = [teamProblem];
        else if (!await db.Teams.AnyAsync(t => t.Name == team, ct))
            errors["team"] = [$"There is no team named '{team}'. GET /api/v1/teams lists them; POST /api/v1/teams creates one."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, detail: "The key was not created; fix the fields named below.");

        var (key, plaintext) = await keys.CreateAsync(name!, role, team, body.ExpiresAt, ApiKeyPrincipal.ActorOf(user), ct);
        var dto = ApiKeyDto.From(key, clock.GetUtcNow());
        return TypedResults.Created($"/api/v1/api-keys/{key.Prefix}",
            new CreatedApiKeyDto(plaintext, dto, "Store this key now: it is shown only this once and cannot be recovered."));
    }

    public static async Task<Ok<IReadOnlyList<ApiKeyDto>>> ListApiKeys(
        ApiKeyService keys, TimeProvider clock, CancellationToken ct, bool includeRevoked = true)
    {
        var now = clock.GetUtcNow();
        IReadOnlyList<ApiKeyDto> list = (await keys.ListAsync(includeRevoked, ct)).Select(k => ApiKeyDto.From(k, now)).ToList();
        return TypedResults.Ok(list);
    }

    public static async Task<Results<Ok<ApiKeyDto>, ProblemHttpResult>> RevokeApiKey(
        string prefix, ClaimsPrincipal user, ApiKeyService keys, TimeProvider clock, CancellationToken ct, string? reason = null)
    {
        var (outcome, key) = await keys.RevokeAsync(prefix, ApiKeyPrincipal.ActorOf(user), reason, ct);
        return outcome switch
        {
            RevokeOutcome.Revoked or RevokeOutcome.AlreadyRevoked => TypedResults.Ok(ApiKeyDto.From(key!, clock.GetUtcNow())),
            RevokeOutcome.NotFound => ApiProblems.NotFound($"No API key has prefix '{prefix}'. GET /api/v1/api-keys lists them.", "API key not found"),
            _ => ApiProblems.Conflict(
                $"Key {ApiKeyFormat.Display(prefix)} ('{key!.Name}') is the last active admin key; revoking it would lock everyone out of key management. Create another admin key first.",
                "Cannot revoke the last admin key"),
        };
    }
}
