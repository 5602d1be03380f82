namespace SlmOps.Data.Entities;

/// <summary>
/// Roles in increasing order of power: viewer &lt; editor &lt; promoter &lt; admin. <see cref="Worker"/> stands outside
/// that ladder: a worker machine's key, for the worker endpoints and the artifact service only.
/// </summary>
public enum ApiKeyRole
{
    /// <summary>
    /// Below every ladder role on purpose, so any <c>role &gt;= X</c> comparison refuses it (fail closed); the policies
    /// that admit workers name them explicitly. Stored by name ("worker"), so the number never reaches the database.
    /// </summary>
    Worker = -1,
    Viewer = 0,
    Editor = 1,
    Promoter = 2,
    Admin = 3,
}
