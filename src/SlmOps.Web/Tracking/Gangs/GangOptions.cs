namespace SlmOps.Web.Tracking.Gangs;

/// <summary>
/// Settings under <c>Runs:Gang</c>: how long a data-parallel run spread over several workers waits for its ranks, and how
/// long a rank's collective waits for the others once the gang has formed.
/// </summary>
public sealed class GangOptions
{
    public const string SectionName = "Runs:Gang";

    /// <summary>
    /// From rank 0's claim, every rank must have claimed and joined the process group within this, or every claim is
    /// released and the run goes back to the queue (without using an attempt).
    /// </summary>
    public TimeSpan JoinTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a collective waits for the other ranks (rank 0 evaluates while the others wait). A rank whose process dies
    /// is noticed at once (its connections close); one that hangs or whose machine vanishes, after this.
    /// </summary>
    public TimeSpan CollectiveTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
