namespace SlmOps.Data.Entities;

/// <summary>Read access to a task model (its versions and aliases), granted by its team to <see cref="Team"/>.</summary>
public sealed class TaskModelShare
{
    public long Id { get; set; }
    public long TaskModelId { get; set; }

    /// <summary>The team that may read the task model.</summary>
    public required string Team { get; set; }

    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
