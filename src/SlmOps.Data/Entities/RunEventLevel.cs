namespace SlmOps.Data.Entities;

/// <summary>Severity of a run log line (run_events.level: debug, info, warning, error).</summary>
public enum RunEventLevel
{
    Debug,
    Info,
    Warning,
    Error,
}
