namespace SlmOps.Web.MlflowExport;

/// <summary>Mirrors a finished run to an external tracker. Never throws for the tracker's failures: it logs them.</summary>
public interface IRunExporter
{
    /// <summary>Exports the run's params, metrics and final status; false when the tracker refused or was unreachable.</summary>
    Task<bool> ExportAsync(Guid runId, CancellationToken cancellationToken);
}
