using Hangfire;

namespace SlmOps.Web.MlflowExport;

/// <summary>
/// The Hangfire job that exports one finished run (enqueued once per RunCompleted / final RunFailed / RunCancelled).
/// Never two exports of one run at once (a distributed lock per run id), so the stored MLflow run id is read before
/// it is written; an export the tracker refused or missed throws, and Hangfire retries it with its default backoff
/// (up to <see cref="Attempts"/> times) before it shows as failed in /hangfire.
/// </summary>
public sealed class MlflowExportJob(IRunExporter exporter)
{
    public const int Attempts = 5;

    [DisableConcurrentExecution("mlflow-export:{0}", 600)]
    [AutomaticRetry(Attempts = Attempts)]
    public async Task ExportAsync(Guid runId, CancellationToken cancellationToken)
    {
        if (!await exporter.ExportAsync(runId, cancellationToken))
        {
            throw new MlflowExportFailedException(runId);
        }
    }
}
