namespace SlmOps.Data.Entities;

/// <summary>What a lineage edge end points at (lineage_edges.from_kind/to_kind, stored snake_case).</summary>
public enum LineageNodeKind
{
    DatasetVersion,
    Run,
    BaseModelVersion,
    SlmVersion,
    Artifact,
}
