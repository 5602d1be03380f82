namespace SlmOps.Data.Entities;

/// <summary>Roles in increasing order of power: viewer &lt; editor &lt; promoter &lt; admin.</summary>
public enum ApiKeyRole
{
    Viewer,
    Editor,
    Promoter,
    Admin,
}
