namespace SlmOps.Contracts.Workers;

/// <summary>
/// A worker says it is up (at start, then every few seconds, busy or idle), so the dashboard and GET /api/v1/workers
/// list it before it has run anything; the run it executes is reported by claims and run heartbeats, not here.
/// </summary>
public sealed record WorkerPresence(string Worker, string Device, int Slots, string? CodeVersion);
