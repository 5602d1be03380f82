namespace SlmOps.Data.Metrics;

/// <summary>
/// Metric points named a run that does not exist (never created, or deleted meanwhile); nothing of the write was
/// stored. A caller sending points can tell this from a database fault: resending will not help.
/// </summary>
public sealed class UnknownRunException(IReadOnlyList<Guid> runIds, string message) : Exception(message)
{
    /// <summary>The runs that do not exist.</summary>
    public IReadOnlyList<Guid> RunIds { get; } = runIds;
}
