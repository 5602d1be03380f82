using System.Security.Claims;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using SlmOps.Contracts.Sweeps;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Runs;
using SlmOps.Web.Sweeps;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Apis;

/// <summary>
/// Sweeps: submit one (a Sweep run whose trials are ordinary runs, listed with GET /api/v1/runs?sweep=ID) and read its
/// leaderboard. Cancel it like any run (POST /api/v1/runs/{id}/cancel): its trials are cancelled with it.
/// </summary>
public static class SweepsApi
{
    public static IEndpointRouteBuilder MapSweepsApi(this IEndpointRouteBuilder app)
    {
        var sweeps = app.MapGroup("/api/v1/sweeps").WithTags("Sweeps").RequireApiRole(ApiKeyRole.Viewer);
        sweeps.MapPost("/", SubmitAsync).RequireApiRole(ApiKeyRole.Editor).WithName("SubmitSweep")
            .WithSummary("Submit a sweep (spec: SweepSpec): trials over a search space, at most `parallelism` at a time, with optional ASHA early stopping");
        sweeps.MapGet("/{id:guid}", GetAsync).WithName("GetSweep")
            .WithSummary("A sweep with its trials (parameters, status, best metric and step) ranked best first, and the best trial");
        return app;
    }

    private static async Task<Results<Created<SweepDto>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        SubmitRunRequest body, ClaimsPrincipal user, SweepOptions options, RunLimits limits, SlmOpsDbContext db, IBackgroundJobClient jobs,
        SweepQueries queries, CancellationToken ct)
    {
        var result = await SweepSubmission.SubmitAsync(body, TeamCaller.Of(user), options, limits, db, jobs, ct);
        if (result.Sweep is { } sweep) return TypedResults.Created($"/api/v1/sweeps/{sweep.Id}", await queries.ViewAsync(sweep, ct));
        if (result.Refusal is { } refusal) return TeamProblems.Forbidden(refusal);
        return TypedResults.ValidationProblem(result.Errors, detail: result.Detail);
    }

    private static async Task<Results<Ok<SweepDto>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, SweepQueries queries, RunQueries runs, CancellationToken ct)
    {
        var caller = TeamCaller.Of(user);
        if (await queries.GetAsync(caller, id, ct) is { } sweep) return TypedResults.Ok(sweep);
        if (await runs.GetAsync(caller, id, ct) is { } run)
            return TypedResults.Problem($"Run {id} is a {run.Kind} run, not a sweep; GET /api/v1/runs/{id} shows it.",
                statusCode: StatusCodes.Status400BadRequest, title: "Not a sweep");
        // A sweep is a run: another team's reads exactly like a missing one.
        return TypedResults.Problem($"No sweep has id {id}. Sweeps are runs of kind Sweep: GET /api/v1/runs?kind=Sweep lists them.",
            statusCode: StatusCodes.Status404NotFound, title: "Run not found");
    }
}
