using SlmOps.Data;

namespace SlmOps.Web.Registry;

/// <summary>
/// Told about every alias change inside the transaction that makes it (before SaveChanges and commit), so what it
/// writes (e.g. webhook deliveries) commits or rolls back with the change itself; then, once it committed, told
/// again for work outside the database.
/// </summary>
public interface IAliasChangeRecorder
{
    Task RecordAsync(SlmOpsDbContext db, AliasChange change, CancellationToken ct);

    /// <summary>After the change committed (never after a rollback). Best effort: the change stands whatever this does.</summary>
    Task CommittedAsync(AliasChange change, CancellationToken ct) => Task.CompletedTask;
}
