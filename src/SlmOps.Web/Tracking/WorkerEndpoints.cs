using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SlmOps.Contracts.Workers;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;
using SlmOps.Web.Tracking.Gangs;

namespace SlmOps.Web.Tracking;

/// <summary>
/// The tracking endpoints workers call (worker keys; admins too, for debugging). They are the only way a worker
/// changes PostgreSQL: claim, heartbeat (progress, metrics, log lines), checkpoint, outcome. Why HTTP and not
/// messages for these: each needs an answer (the claim's inputs, the cancel flag, the registered ids) and a clear
/// refusal, and a retried call is idempotent. A call for a run that does not exist answers 404, which the worker
/// logs and drops, so a stray message is never retried forever.
/// </summary>
public static class WorkerEndpoints
{
    public static IEndpointRouteBuilder MapWorkerEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(WorkerApi.Base).WithTags("Worker").RequireWorkerRole();
        group.MapGet("/whoami", (ClaimsPrincipal user) => TypedResults.Ok(new WhoAmI(user.Identity?.Name ?? "", ApiRoles.Of(user) is { } role ? ApiRoles.Name(role) : "")))
            .WithSummary("The key's name and role; a worker checks its key with it at start.");
        group.MapPost("/presence", PresenceAsync).WithSummary("The worker is up (idle or busy): it is listed as online with its device and slots.");
        group.MapPost("/runs/{runId:guid}/claim", ClaimAsync).WithSummary("Claim a run's attempt; answers its typed spec and inputs.");
        group.MapPost("/runs/{runId:guid}/ranks/{rank:int}/claim", ClaimRankAsync).WithSummary("Claim an offered rank of a gang-scheduled data-parallel run.");
        group.MapPost("/runs/{runId:guid}/gang", GangAsync).WithSummary("A gang rank's report (rank 0's store address, a rank joined); answers the gang's state.");
        group.MapPost("/runs/{runId:guid}/heartbeat", HeartbeatAsync).WithSummary("Liveness, progress, metric points and log lines of a running attempt.");
        group.MapPost("/runs/{runId:guid}/checkpoint", CheckpointAsync).WithSummary("Record the newest uploaded training checkpoint.");
        group.MapPost("/runs/{runId:guid}/outcome", OutcomeAsync).WithSummary("End an attempt; a success registers its output in one transaction.");
        return app;
    }

    public sealed record WhoAmI(string Name, string Role);

    private static async Task<Results<NoContent, ProblemHttpResult>> PresenceAsync(WorkerPresence presence, SlmOpsDbContext db, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(presence.Worker) || string.IsNullOrWhiteSpace(presence.Device) || presence.Slots < 1)
            return ApiProblems.BadRequest("A presence report needs the worker's name, its device and slots >= 1.");
        await WorkerNodes.PresentAsync(db, presence, DateTimeOffset.UtcNow, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<RunClaimResponse>, ProblemHttpResult>> ClaimAsync(Guid runId, RunClaimRequest request, RunClaimService claims, CancellationToken ct)
    {
        if (request.Attempt < 1 || string.IsNullOrWhiteSpace(request.Worker))
            return ApiProblems.BadRequest("A claim needs attempt >= 1 and the worker's name.");
        return await claims.ClaimAsync(runId, request, ct) is { } response ? TypedResults.Ok(response) : UnknownRun(runId);
    }

    private static async Task<Results<Ok<RunClaimResponse>, ProblemHttpResult>> ClaimRankAsync(Guid runId, int rank, RunClaimRequest request, RunClaimService claims, CancellationToken ct)
    {
        if (request.Attempt < 1 || string.IsNullOrWhiteSpace(request.Worker) || rank < 1)
            return ApiProblems.BadRequest("A rank claim needs attempt >= 1, the worker's name and a rank >= 1 (rank 0 is the run's own claim).");
        return await claims.ClaimRankAsync(runId, rank, request, ct) is { } response ? TypedResults.Ok(response) : UnknownRun(runId);
    }

    private static async Task<Results<Ok<GangState>, ProblemHttpResult>> GangAsync(Guid runId, GangReport report, GangService gangs, CancellationToken ct)
    {
        if (report.Attempt < 1 || report.Rank < 0 || string.IsNullOrWhiteSpace(report.Worker))
            return ApiProblems.BadRequest("A gang report needs attempt >= 1, rank >= 0 and the worker's name.");
        return await gangs.ReportAsync(runId, report, ct) is { } state ? TypedResults.Ok(state) : UnknownRun(runId);
    }

    private static async Task<Results<Ok<RunHeartbeatResponse>, ProblemHttpResult>> HeartbeatAsync(Guid runId, RunHeartbeat beat, RunHeartbeatService heartbeats, CancellationToken ct) =>
        await heartbeats.BeatAsync(runId, beat, ct) is { } response ? TypedResults.Ok(response) : UnknownRun(runId);

    private static async Task<Results<NoContent, ProblemHttpResult>> CheckpointAsync(Guid runId, RunCheckpointReport report, RunHeartbeatService heartbeats, CancellationToken ct)
    {
        try
        {
            return await heartbeats.CheckpointAsync(runId, report, ct) is null ? UnknownRun(runId) : TypedResults.NoContent();
        }
        catch (Exception error) when (error is RunInputException or ArgumentException or InvalidDataException)
        {
            return ApiProblems.BadRequest(error.Message, "The checkpoint cannot be recorded");
        }
    }

    private static async Task<Results<Ok<RunOutcomeResponse>, ProblemHttpResult>> OutcomeAsync(Guid runId, RunOutcome outcome, RunOutcomeService outcomes, CancellationToken ct)
    {
        var result = await outcomes.EndAsync(runId, outcome, ct);
        if (!result.Found) return UnknownRun(runId);
        return result.Response is { } response
            ? TypedResults.Ok(response)
            : ApiProblems.Conflict($"Attempt {outcome.Attempt} no longer holds run {runId} (it was re-queued or ended); its outcome is not recorded.", "Attempt no longer holds the run");
    }

    private static ProblemHttpResult UnknownRun(Guid runId) =>
        ApiProblems.NotFound($"No run has id {runId}; the message naming it is stale or from another deployment. Drop it.", "Unknown run");
}
