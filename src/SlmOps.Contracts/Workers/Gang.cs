namespace SlmOps.Contracts.Workers;

/// <summary>
/// In a claim's assignment when the run is gang-scheduled across workers: this worker runs rank <see cref="Rank"/> of
/// <see cref="WorldSize"/>. Every rank must have joined within <see cref="JoinSecondsLeft"/> (counted from this answer),
/// or the web host releases every claim and the run goes back to the queue; a collective waits at most
/// <see cref="CollectiveTimeoutSeconds"/> for the others (rank 0 evaluates while they wait).
/// </summary>
public sealed record GangAssignment(int Rank, int WorldSize, double JoinSecondsLeft, double CollectiveTimeoutSeconds);

/// <summary>
/// A gang rank's report: rank 0 publishes the address of the store it hosts (<see cref="StoreAddress"/>, host:port);
/// any rank says it <see cref="Joined"/> once its process group formed. An empty report only asks for the gang's state.
/// </summary>
public sealed record GangReport(int Attempt, int Rank, string Worker, string? StoreAddress = null, bool Joined = false);

/// <summary>
/// The gang as the web host sees it. <see cref="Holds"/> is false once this rank no longer belongs to the run's current
/// attempt (released, re-queued or ended). <see cref="StoreAddress"/> is rank 0's store once published.
/// </summary>
public sealed record GangState(bool Holds, string? StoreAddress, double JoinSecondsLeft);
