namespace SlmOps.Data.Entities;

/// <summary>Read access to a dataset (and its versions), granted by its team to <see cref="Team"/>.</summary>
public sealed class DatasetShare
{
    public long Id { get; set; }
    public long DatasetId { get; set; }

    /// <summary>The team that may read the dataset.</summary>
    public required string Team { get; set; }

    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
