namespace SlmOps.Web.MlflowExport;

/// <summary>An export that did not go through (tracker unreachable or refusing, or the run not finished); the log says why.</summary>
public sealed class MlflowExportFailedException(Guid runId)
    : Exception($"Run {runId} was not exported to MLflow; the web host's log says why. Hangfire retries the export.");
