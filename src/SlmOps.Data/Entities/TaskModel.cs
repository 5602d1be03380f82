namespace SlmOps.Data.Entities;

/// <summary>A team's task (the name in <c>task@production</c>); its SLM versions and aliases hang off it.</summary>
public sealed class TaskModel
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>The owning team's name.</summary>
    public string Team { get; set; } = Entities.Team.DefaultName;

    public List<SlmVersion> Versions { get; set; } = [];
    public List<Alias> Aliases { get; set; } = [];
}
