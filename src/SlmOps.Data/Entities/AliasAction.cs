namespace SlmOps.Data.Entities;

/// <summary>What happened to an alias in alias_history.</summary>
public enum AliasAction
{
    Create,
    Promote,
    Rollback,
    Delete,
}
