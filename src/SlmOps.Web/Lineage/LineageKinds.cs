using SlmOps.Data.Entities;
using SlmOps.Data.Model;

namespace SlmOps.Web.Lineage;

/// <summary>The snake_case names of <see cref="LineageNodeKind"/> as the API and the database spell them.</summary>
public static class LineageKinds
{
    public static readonly IReadOnlyDictionary<string, LineageNodeKind> ByName =
        Enum.GetValues<LineageNodeKind>().ToDictionary(Name, kind => kind);

    public static string Allowed => string.Join(", ", ByName.Keys);

    public static string Name(LineageNodeKind kind) => SnakeCase.From(kind.ToString());
}
