namespace SlmOps.Web.Lineage;

/// <summary>A thing in the lineage graph: kind (dataset_version, run, ...) and id as the edges name it.</summary>
public sealed record LineageNodeDto(string Kind, string Id, string Label);

public sealed record LineageEdgeDto(string FromKind, string FromId, string ToKind, string ToId, string Relation);

/// <summary>The nodes within <c>Depth</c> edges of <c>Root</c>, following edges in both directions.</summary>
public sealed record LineageGraphDto(LineageNodeDto Root, int Depth, IReadOnlyList<LineageNodeDto> Nodes, IReadOnlyList<LineageEdgeDto> Edges);
