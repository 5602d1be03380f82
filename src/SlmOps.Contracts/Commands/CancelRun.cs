namespace SlmOps.Contracts.Commands;

/// <summary>Ask whichever worker holds the run to stop at the next step boundary.</summary>
public sealed record CancelRun(Guid RunId, string RequestedBy, string? Reason);
