namespace SlmOps.Data.Entities;

/// <summary>A named LLM family; its numbered versions are immutable.</summary>
public sealed class BaseModel
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public List<BaseModelVersion> Versions { get; set; } = [];
}
