using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Data;
using SlmOps.Data.Entities;

namespace SlmOps.Web.MlflowExport;

/// <summary>
/// Mirrors a finished run into MLflow: the experiment named by the config's <c>experiment</c> (else
/// <c>ExperimentPrefix + kind</c>) is found or created, an MLflow run is created with the SlmOps run id as a tag
/// (once: its id is kept in <c>runs.mlflow_run_id</c> and reused by every later export of the run), the flattened
/// config goes in as params, every metric point with its step and time, and the run ends
/// FINISHED, FAILED or KILLED. PostgreSQL stays the record; a failure here is logged and the run is unaffected.
/// </summary>
public sealed class MlflowRunExporter(
    MlflowClient mlflow,
    IDbContextFactory<SlmOpsDbContext> contexts,
    MlflowOptions options,
    ILogger<MlflowRunExporter> logger) : IRunExporter
{
    public const string RunIdTag = "slmops.run_id";

    public async Task<bool> ExportAsync(Guid runId, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
            if (run is null || StatusOf(run.Status) is not { } status) return false;
            var metrics = await db.RunMetrics.AsNoTracking().Where(m => m.RunId == runId)
                .OrderBy(m => m.Key).ThenBy(m => m.Step).ToListAsync(cancellationToken);

            var mlflowRunId = run.MlflowRunId ?? await StartMlflowRunAsync(db, run, cancellationToken);
            foreach (var batch in MlflowBatches.Split(mlflowRunId, ConfigFlattener.Flatten(run.Config), ToMlflow(metrics), TagsOf(run)))
            {
                await mlflow.LogBatchAsync(batch, cancellationToken);
            }

            await mlflow.UpdateRunAsync(new MlflowUpdateRunRequest(mlflowRunId, status, Millis(run.FinishedAt ?? DateTimeOffset.UtcNow)),
                cancellationToken);
            logger.LogInformation("Exported run {RunId} to MLflow run {MlflowRunId} ({Metrics} metric points)", runId, mlflowRunId, metrics.Count);
            return true;
        }
        catch (Exception error) when (error is HttpRequestException or MlflowApiException or TaskCanceledException
                                          or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(error, "Could not export run {RunId} to MLflow at {TrackingUri}; the run itself is unaffected",
                runId, options.TrackingUri);
            return false;
        }
    }

    // Created once per run: its id is stored at once, so an export that is retried or redelivered logs to the same
    // MLflow run (re-logged params keep their values; MLflow drops metric points it already has).
    private async Task<string> StartMlflowRunAsync(SlmOpsDbContext db, Run run, CancellationToken ct)
    {
        var experimentId = await ExperimentIdAsync(ExperimentName(run), ct);
        var created = await mlflow.CreateRunAsync(new MlflowCreateRunRequest(
            experimentId, run.Name ?? run.Id.ToString(), Millis(run.StartedAt ?? run.CreatedAt), [new(RunIdTag, run.Id.ToString())]), ct);
        var stored = await db.Runs.Where(r => r.Id == run.Id && r.MlflowRunId == null)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.MlflowRunId, created), CancellationToken.None);
        // An export running beside this one (outside the job's lock) stored its run first: log to that one.
        return stored == 1 ? created : await db.Runs.Where(r => r.Id == run.Id).Select(r => r.MlflowRunId!).SingleAsync(ct);
    }

    private async Task<string> ExperimentIdAsync(string name, CancellationToken ct)
    {
        if (await mlflow.GetExperimentIdByNameAsync(name, ct) is { } existing) return existing;
        try
        {
            return await mlflow.CreateExperimentAsync(name, ct);
        }
        catch (MlflowApiException error) when (error.ErrorCode == "RESOURCE_ALREADY_EXISTS")
        {
            // Another node created it between the lookup and the create.
            return await mlflow.GetExperimentIdByNameAsync(name, ct)
                   ?? throw new MlflowApiException("experiments/get-by-name", error.Status, error.ErrorCode, $"experiment '{name}' exists but cannot be read");
        }
    }

    private string ExperimentName(Run run)
    {
        using var config = System.Text.Json.JsonDocument.Parse(run.Config);
        return config.RootElement.TryGetProperty("experiment", out var named) && named.ValueKind == System.Text.Json.JsonValueKind.String
               && named.GetString() is { Length: > 0 } name
            ? name
            : options.ExperimentPrefix + run.Kind;
    }

    private static string? StatusOf(RunStatus status) => status switch
    {
        RunStatus.Succeeded => MlflowRunStatus.Finished,
        RunStatus.Failed => MlflowRunStatus.Failed,
        RunStatus.Cancelled => MlflowRunStatus.Killed,
        _ => null,
    };

    private static List<MlflowMetric> ToMlflow(List<RunMetric> metrics) =>
        metrics.Where(m => double.IsFinite(m.Value)) // JSON has no NaN or Infinity, and MLflow would refuse the batch
            .Select(m => new MlflowMetric(m.Key, m.Value, Millis(m.RecordedAt), m.Step)).ToList();

    private static List<MlflowTag> TagsOf(Run run)
    {
        var tags = new List<MlflowTag> { new("slmops.kind", run.Kind.ToString()), new("slmops.attempt", run.Attempt.ToString()) };
        if (run.WorkerName is { } worker) tags.Add(new("slmops.worker", worker));
        if (run.Device is { } device) tags.Add(new("slmops.device", device));
        if (run.CodeVersion is { } code) tags.Add(new("mlflow.source.git.commit", code));
        if (run.Error is { } error) tags.Add(new("slmops.error", error.Length <= 5000 ? error : error[..5000]));
        tags.Add(new("mlflow.user", run.CreatedBy));
        return tags;
    }

    private static long Millis(DateTimeOffset at) => at.ToUnixTimeMilliseconds();
}
