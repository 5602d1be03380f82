using SlmOps.Data;

namespace SlmOps.Web.Registry;

/// <summary>
/// Told about every alias change inside the transaction that makes it (before SaveChanges and commit), so what it
/// writes (e.g. webhook deliveries) commits or rolls back with the change itself.
/// </summary>
public interface IAliasChangeRecorder
{
    Task RecordAsync(SlmOpsDbContext db, AliasChange change, CancellationToken ct);
}
