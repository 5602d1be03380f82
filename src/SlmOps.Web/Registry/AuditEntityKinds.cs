namespace SlmOps.Web.Registry;

/// <summary>audit_log.entity_kind values written by the registry.</summary>
public static class AuditEntityKinds
{
    public const string Alias = "alias";
}
