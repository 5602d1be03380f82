namespace SlmOps.Data.Entities;

/// <summary>
/// Trial <see cref="TrialIndex"/> of a sweep and the run it became. The key (sweep, index) is what keeps a restarted or
/// concurrent scheduler from submitting a trial twice.
/// </summary>
public sealed class SweepTrial
{
    public Guid SweepRunId { get; set; }
    public int TrialIndex { get; set; }

    /// <summary>Null when the trial could not be submitted (<see cref="Error"/> says why).</summary>
    public Guid? RunId { get; set; }

    /// <summary>The sampled values by spec field path, as a JSON object (jsonb).</summary>
    public string Params { get; set; } = "{}";

    public string? Error { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
