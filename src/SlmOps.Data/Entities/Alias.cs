namespace SlmOps.Data.Entities;

/// <summary>
/// A movable name (production, staging, ...) pointing at one version of the same task model; a composite foreign
/// key makes pointing at another task's version impossible. Moving it is promotion or rollback.
/// </summary>
public sealed class Alias
{
    public long Id { get; set; }
    public long TaskModelId { get; set; }

    /// <summary>Matches [a-z0-9-]+ and is not purely numeric (task@3 means version 3).</summary>
    public required string Name { get; set; }

    public long SlmVersionId { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;

    public TaskModel TaskModel { get; set; } = null!;
    public SlmVersion SlmVersion { get; set; } = null!;
}
