namespace SlmOps.Web.Registry;

/// <summary>
/// What an alias change did: the audit action (alias.set|move|rollback|delete) and the versions either side; Team owns
/// the task model (webhooks of that team hear of it).
/// </summary>
public sealed record AliasChange(
    string Task, string Alias, string Action, int? FromVersion, int? ToVersion, bool Forced, string Actor, string? Reason,
    DateTimeOffset At, long HistoryId, string Team = Data.Entities.Team.DefaultName);

/// <summary>The request to set or move an alias: a version number of the task, or an SLM version id (exactly one).</summary>
public sealed record SetAliasRequest(int? Version, long? SlmVersionId = null, bool Force = false, string? Reason = null);
