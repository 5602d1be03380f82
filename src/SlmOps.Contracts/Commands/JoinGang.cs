namespace SlmOps.Contracts.Commands;

/// <summary>
/// Offers rank <paramref name="Rank"/> of a gang-scheduled data-parallel run's attempt to the workers: the one that takes
/// it claims the rank through the web host (a worker holds at most one rank of a gang) and joins the others.
/// </summary>
public sealed record JoinGang(Guid RunId, int Attempt, int Rank) : IRunCommand;
