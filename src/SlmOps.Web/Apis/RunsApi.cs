using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Contracts.Commands;
using SlmOps.Contracts.Runs;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;
using SlmOps.Web.Runs;

namespace SlmOps.Web.Apis;

/// <summary>Runs: submit (one route per kind), list, inspect, cancel, clone, metrics and log lines.</summary>
public static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/v1/runs").WithTags("Runs").RequireApiRole(ApiKeyRole.Viewer);
        runs.MapPost("/prepare", (SubmitRunRequest body, ClaimsPrincipal user, SlmOpsDbContext db, IRunDispatcher dispatcher, CancellationToken ct) =>
                SubmitAsync(RunKind.PrepareDataset, body, null, user, db, dispatcher, ct))
            .RequireApiRole(ApiKeyRole.Editor).WithName("SubmitPrepareRun").WithSummary("Tokenize a dataset version (spec: PrepareDatasetSpec)");
        runs.MapPost("/pretrain", (SubmitRunRequest body, ClaimsPrincipal user, SlmOpsDbContext db, IRunDispatcher dispatcher, CancellationToken ct) =>
                SubmitAsync(RunKind.TrainBaseModel, body, null, user, db, dispatcher, ct))
            .RequireApiRole(ApiKeyRole.Editor).WithName("SubmitPretrainRun").WithSummary("Pretrain a base LLM on a prepared dataset version (spec: PretrainSpec)");
        runs.MapPost("/finetune", (SubmitRunRequest body, ClaimsPrincipal user, SlmOpsDbContext db, IRunDispatcher dispatcher, CancellationToken ct) =>
                SubmitAsync(RunKind.TrainTaskModel, body, null, user, db, dispatcher, ct))
            .RequireApiRole(ApiKeyRole.Editor).WithName("SubmitFineTuneRun").WithSummary("Train a task SLM (or baseline) against a frozen base model version (spec: FineTuneSpec)");
        runs.MapPost("/evaluate", (SubmitRunRequest body, ClaimsPrincipal user, SlmOpsDbContext db, IRunDispatcher dispatcher, CancellationToken ct) =>
                SubmitAsync(RunKind.Evaluate, body, null, user, db, dispatcher, ct))
            .RequireApiRole(ApiKeyRole.Editor).WithName("SubmitEvaluateRun").WithSummary("Evaluate a model version on a dataset version (spec: EvaluateSpec)");
        runs.MapGet("/", ListRunsAsync).WithName("ListRuns").WithSummary("List runs, newest first, filtered by status, kind and name");
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

    private static async Task<Results<Created<RunDto>, ValidationProblem>> SubmitAsync(
        RunKind kind, SubmitRunRequest body, Guid? clonedFrom, ClaimsPrincipal user, SlmOpsDbContext db, IRunDispatcher dispatcher, CancellationToken ct)
    {
        // The dashboard's new-run page submits through the same RunSubmission.
        var result = await RunSubmission.SubmitAsync(kind, body, clonedFrom, ApiKeyPrincipal.ActorOf(user), db, dispatcher, ct);
        if (result.Run is { } run) return TypedResults.Created($"/api/v1/runs/{run.Id}", run);
        return TypedResults.ValidationProblem(result.Errors, detail: result.Detail);
    }

    private static async Task<Ok<RunPage>> ListRunsAsync(
        SlmOpsDbContext db, CancellationToken ct, RunStatus? status = null, RunKind? kind = null,
        string? search = null, int page = 1, int pageSize = 50)
    {
        page = Math.Max(page, 1);
        pageSize = Math.Clamp(pageSize, 1, 500);
        var query = db.Runs.AsNoTracking();
        if (status is { } s) query = query.Where(r => r.Status == s);
        if (kind is { } k) query = query.Where(r => r.Kind == k);
        if (!string.IsNullOrWhiteSpace(search)) query = query.Where(r => r.Name != null && EF.Functions.ILike(r.Name, $"%{search}%"));
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return TypedResults.Ok(new RunPage(items.Select(RunDto.From).ToList(), total, page, pageSize));
    }

    private static async Task<Results<Ok<RunDto>, ProblemHttpResult>> GetRunAsync(Guid id, SlmOpsDbContext db, CancellationToken ct)
    {
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        return run is null ? RunNotFound(id) : TypedResults.Ok(RunDto.From(run));
    }

    private static async Task<Results<Ok<RunDto>, ProblemHttpResult>> CancelRunAsync(
        Guid id, ClaimsPrincipal user, SlmOpsDbContext db, IPublishEndpoint publisher, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        // Conditional updates, so a worker claiming the run at the same moment is never overwritten.
        var cancelledQueued = await db.Runs.Where(r => r.Id == id && r.Status == RunStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Cancelled)
                .SetProperty(r => r.FinishedAt, now).SetProperty(r => r.CancelRequestedAt, now), ct);
        if (cancelledQueued == 0)
        {
            var requested = await db.Runs.Where(r => r.Id == id && r.Status == RunStatus.Running && r.CancelRequestedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.CancelRequestedAt, now), ct);
            if (requested > 0) await publisher.Publish(new CancelRun(id, ApiKeyPrincipal.ActorOf(user), null), ct);
        }
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (run is null) return RunNotFound(id);
        if (run.Status is RunStatus.Succeeded or RunStatus.Failed)
            return TypedResults.Problem($"Run {id} already finished as {run.Status}; only Queued or Running runs can be cancelled.",
                statusCode: StatusCodes.Status409Conflict, title: "Run already finished");
        db.RunEvents.Add(new RunEvent { RunId = id, Attempt = run.Attempt, Level = RunEventLevel.Warning, Message = "Cancel requested" });
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(RunDto.From(run));
    }

    private static async Task<Results<Created<RunDto>, ValidationProblem, ProblemHttpResult>> CloneRunAsync(
        Guid id, CloneRunRequest body, ClaimsPrincipal user, SlmOpsDbContext db, IRunDispatcher dispatcher, CancellationToken ct)
    {
        var original = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (original is null) return RunNotFound(id);
        var merged = JsonMergePatch.Apply(JsonNode.Parse(original.Config),
            body.Overrides is { ValueKind: JsonValueKind.Object } o ? JsonNode.Parse(o.GetRawText()) : null);
        var spec = JsonSerializer.SerializeToElement(merged);
        var request = new SubmitRunRequest(body.Name ?? original.Name, body.Priority ?? original.Priority, spec);
        var result = await SubmitAsync(original.Kind, request, id, user, db, dispatcher, ct);
        return result.Result switch
        {
            Created<RunDto> created => created,
            ValidationProblem invalid => invalid,
            _ => throw new InvalidOperationException("Unexpected submit result."),
        };
    }

    private static async Task<Results<Ok<IReadOnlyList<MetricSeriesDto>>, ProblemHttpResult>> GetMetricsAsync(
        Guid id, SlmOpsDbContext db, CancellationToken ct, string? key = null, int maxPoints = 500)
    {
        if (!await db.Runs.AnyAsync(r => r.Id == id, ct)) return RunNotFound(id);
        maxPoints = Math.Clamp(maxPoints, 2, 10_000);
        var query = db.RunMetrics.AsNoTracking().Where(m => m.RunId == id);
        if (!string.IsNullOrEmpty(key)) query = query.Where(m => m.Key == key);
        var points = await query.OrderBy(m => m.Key).ThenBy(m => m.Step).Select(m => new { m.Key, m.Step, m.Value }).ToListAsync(ct);
        IReadOnlyList<MetricSeriesDto> series = points.GroupBy(p => p.Key)
            .Select(g => new MetricSeriesDto(g.Key, MetricDownsampler.Downsample(g.Select(p => new MetricPointDto(p.Step, p.Value)).ToList(), maxPoints)))
            .ToList();
        return TypedResults.Ok(series);
    }

    private static async Task<Results<Ok<IReadOnlyList<RunEventDto>>, ProblemHttpResult>> GetEventsAsync(
        Guid id, SlmOpsDbContext db, CancellationToken ct, long after = 0, int limit = 500)
    {
        if (!await db.Runs.AnyAsync(r => r.Id == id, ct)) return RunNotFound(id);
        var events = await db.RunEvents.AsNoTracking().Where(e => e.RunId == id && e.Id > after).OrderBy(e => e.Id)
            .Take(Math.Clamp(limit, 1, 5000)).ToListAsync(ct);
        IReadOnlyList<RunEventDto> result = events
            .Select(e => new RunEventDto(e.Id, e.Attempt, e.Level.ToString().ToLowerInvariant(), e.Message, e.At)).ToList();
        return TypedResults.Ok(result);
    }

    private static ProblemHttpResult RunNotFound(Guid id) =>
        TypedResults.Problem($"No run has id {id}. List runs with GET /api/v1/runs.", statusCode: StatusCodes.Status404NotFound, title: "Run not found");
}
