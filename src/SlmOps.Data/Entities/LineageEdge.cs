namespace SlmOps.Data.Entities;

/// <summary>
/// A directed edge, e.g. dataset_version 3 --input--> run X --output--> slm_version 12. Ids are text because the
/// kinds use different keys (uuid runs, bigint versions, sha256 artifacts).
/// </summary>
public sealed class LineageEdge
{
    public long Id { get; set; }
    public LineageNodeKind FromKind { get; set; }
    public required string FromId { get; set; }
    public LineageNodeKind ToKind { get; set; }
    public required string ToId { get; set; }

    /// <summary>Lower snake_case meaning of the edge: input, output, base_model, checkpoint, ...</summary>
    public required string Relation { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
