using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SlmOps.Contracts;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;
using SlmOps.Web.Runs;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Apis;

/// <summary>
/// Runs: submit (one route per kind), list, inspect, cancel, clone, metrics and log lines. The work is done by
/// <see cref="RunSubmission"/>, <see cref="RunActions"/> and <see cref="RunQueries"/>, which the dashboard uses too.
/// </summary>
public static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/v1/runs").WithTags("Runs").RequireApiRole(ApiKeyRole.Viewer);
        runs.MapPost("/prepare", (SubmitRunRequest body, ClaimsPrincipal user, RunLimits limits, SlmOpsDbContext db, IRunDispatcher dispatcher, CancellationToken ct) =>
                SubmitAsync(RunKind.PrepareDataset, body, user, limits, db, dispatcher, ct))
            .RequireApiRole(ApiKeyRole.Editor).WithName("SubmitPrepareRun").WithSummary("Tokenize a dataset version (spec: PrepareDatasetSpec)");
        runs.MapPost("/pretrain", (SubmitRunRequest body, ClaimsPrincipal user, RunLimits limits, SlmOpsDbContext db, IRunDispatcher dispatcher, CancellationToken ct) =>
                SubmitAsync(RunKind.TrainBaseModel, body, user, limits, db, dispatcher, ct))
            .RequireApiRole(ApiKeyRole.Editor).WithName("SubmitPretrainRun").WithSummary("Pretrain a base LLM on a prepared dataset version (spec: PretrainSpec)");
        runs.MapPost("/finetune", (SubmitRunRequest body, ClaimsPrincipal user, RunLimits limits, SlmOpsDbContext db, IRunDispatcher dispatcher, CancellationToken ct) =>
                SubmitAsync(RunKind.TrainTaskModel, body, user, limits, db, dispatcher, ct))
            .RequireApiRole(ApiKeyRole.Editor).WithName("SubmitFineTuneRun").WithSummary("Train a task SLM (or baseline) against a frozen base model version (spec: FineTuneSpec)");
        runs.MapPost("/evaluate", (SubmitRunRequest body, ClaimsPrincipal user, RunLimits limits, SlmOpsDbContext db, IRunDispatcher dispatcher, CancellationToken ct) =>
                SubmitAsync(RunKind.Evaluate, body, user, limits, db, dispatcher, ct))
            .RequireApiRole(ApiKeyRole.Editor).WithName("SubmitEvaluateRun").WithSummary("Evaluate a model version on a dataset version (spec: EvaluateSpec)");
        runs.MapGet("/", ListRunsAsync).WithName("ListRuns")
            .WithSummary("List the runs of the key's team (admins: all), newest first, filtered by status, kind, name or id, team, and sweep (its trials)");
        runs.MapGet("/{id:guid}", GetRunAsync).WithName("GetRun").WithSummary("One run with its config and state");
        runs.MapPost("/{id:guid}/cancel", CancelRunAsync).RequireApiRole(ApiKeyRole.Editor).WithName("CancelRun")
            .WithSummary("Cancel a run: a queued run at once, a running one at its next step boundary");
        runs.MapPost("/{id:guid}/clone", CloneRunAsync).RequireApiRole(ApiKeyRole.Editor).WithName("CloneRun")
            .WithSummary("Resubmit a run's spec with a JSON merge patch of overrides");
        runs.MapGet("/{id:guid}/metrics", GetMetricsAsync).WithName("GetRunMetrics")
            .WithSummary("Metric series of a run, downsampled to at most maxPoints per key");
        runs.MapGet("/{id:guid}/events", GetEventsAsync).WithName("GetRunEvents")
            .WithSummary("Log lines of a run after the given event id");
        return app;
    }

    private static async Task<Results<Created<RunDto>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        RunKind kind, SubmitRunRequest body, ClaimsPrincipal user, RunLimits limits, SlmOpsDbContext db, IRunDispatcher dispatcher, CancellationToken ct) =>
        Submitted(await RunSubmission.SubmitAsync(kind, body, null, TeamCaller.Of(user), limits, db, dispatcher, ct));

    private static async Task<Results<Ok<RunPage>, ProblemHttpResult>> ListRunsAsync(
        ClaimsPrincipal user, RunQueries queries, CancellationToken ct, RunStatus? status = null, RunKind? kind = null,
        string? search = null, string? team = null, Guid? sweep = null, int page = 1, int pageSize = 50)
    {
        if (ApiProblems.FirstOutOfRange(("page", page, 1, RunQueries.MaxPage), ("pageSize", pageSize, 1, RunQueries.MaxPageSize)) is { } outOfRange)
            return outOfRange;
        if (InputText.Problem("search", search, InputText.MaxSearchLength) is { } searchProblem) return ApiProblems.BadRequest(searchProblem);
        return TypedResults.Ok(await queries.ListAsync(TeamCaller.Of(user), new RunFilter(status, kind, search, team, sweep), page, pageSize, ct));
    }

    private static async Task<Results<Ok<RunDto>, ProblemHttpResult>> GetRunAsync(Guid id, ClaimsPrincipal user, RunQueries queries, CancellationToken ct) =>
        await queries.GetAsync(TeamCaller.Of(user), id, ct) is { } run ? TypedResults.Ok(run) : Refused(RunActionRefusal.NotFound(id));

    private static async Task<Results<Ok<RunDto>, ProblemHttpResult>> CancelRunAsync(
        Guid id, ClaimsPrincipal user, RunActions actions, CancellationToken ct)
    {
        var result = await actions.CancelAsync(id, TeamCaller.Of(user), ct);
        return result.Run is { } run ? TypedResults.Ok(run) : Refused(result.Refusal!);
    }

    private static async Task<Results<Created<RunDto>, ValidationProblem, ProblemHttpResult>> CloneRunAsync(
        Guid id, CloneRunRequest body, ClaimsPrincipal user, RunActions actions, CancellationToken ct)
    {
        var result = await actions.CloneAsync(id, body, TeamCaller.Of(user), ct);
        if (result.Submission is not { } submission) return Refused(result.Refusal!);
        return Submitted(submission);
    }

    private static async Task<Results<Ok<IReadOnlyList<MetricSeriesDto>>, ProblemHttpResult>> GetMetricsAsync(
        Guid id, ClaimsPrincipal user, RunQueries queries, CancellationToken ct, string? key = null, int maxPoints = 500)
    {
        if (ApiProblems.FirstOutOfRange(("maxPoints", maxPoints, RunQueries.MinMetricPoints, RunQueries.MaxMetricPoints)) is { } outOfRange) return outOfRange;
        if (InputText.Problem("key", key, InputText.MaxNameLength) is { } keyProblem) return ApiProblems.BadRequest(keyProblem);
        if (!await queries.ExistsAsync(TeamCaller.Of(user), id, ct)) return Refused(RunActionRefusal.NotFound(id));
        return TypedResults.Ok(await queries.MetricsAsync(id, key, maxPoints, ct));
    }

    private static async Task<Results<Ok<IReadOnlyList<RunEventDto>>, ProblemHttpResult>> GetEventsAsync(
        Guid id, ClaimsPrincipal user, RunQueries queries, CancellationToken ct, long after = 0, int limit = 500)
    {
        if (ApiProblems.FirstOutOfRange(("after", after, 0, long.MaxValue), ("limit", limit, 1, RunQueries.MaxEventLimit)) is { } outOfRange) return outOfRange;
        if (!await queries.ExistsAsync(TeamCaller.Of(user), id, ct)) return Refused(RunActionRefusal.NotFound(id));
        return TypedResults.Ok(await queries.EventsAfterAsync(id, after, limit, ct));
    }

    private static Results<Created<RunDto>, ValidationProblem, ProblemHttpResult> Submitted(RunSubmissionResult result) =>
        result switch
        {
            { Run: { } run } => TypedResults.Created($"/api/v1/runs/{run.Id}", run),
            { Refusal: { } refusal } => TeamProblems.Forbidden(refusal),
            _ => TypedResults.ValidationProblem(result.Errors, detail: result.Detail),
        };

    private static ProblemHttpResult Refused(RunActionRefusal refusal) =>
        TypedResults.Problem(refusal.Detail, statusCode: refusal.StatusCode, title: refusal.Title);
}
