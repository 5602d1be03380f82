namespace SlmOps.Contracts;

/// <summary>
/// Queued → Running → Succeeded | Failed | Cancelled. Running may return to Queued when its worker is lost;
/// the resumed attempt is recorded on the run.
/// </summary>
public enum RunStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

public static class RunStatusExtensions
{
    public static bool IsTerminal(this RunStatus status) =>
        status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled;
}
