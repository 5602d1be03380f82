namespace SlmOps.Data.Entities;

/// <summary>A log line of a run; <see cref="Id"/> orders the lines.</summary>
public sealed class RunEvent
{
    public long Id { get; set; }
    public Guid RunId { get; set; }
    public int Attempt { get; set; }
    public RunEventLevel Level { get; set; } = RunEventLevel.Info;
    public required string Message { get; set; }
    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;
}
