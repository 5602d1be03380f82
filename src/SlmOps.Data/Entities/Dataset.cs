namespace SlmOps.Data.Entities;

/// <summary>A named dataset; its content lives in numbered, immutable versions.</summary>
public sealed class Dataset
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>The owning team's name.</summary>
    public string Team { get; set; } = Entities.Team.DefaultName;

    public List<DatasetVersion> Versions { get; set; } = [];
}
