using Microsoft.EntityFrameworkCore;
using SlmOps.Data;

namespace SlmOps.Data.Registry;

/// <summary>
/// Which deployment this web instance belongs to: its registry database, as "name:oid". Instances that share the
/// database share the registry, so an alias move in one matters to the others; the same broker may carry other
/// deployments' (or other tests') moves, which this tells apart. Read once, then cached.
/// </summary>
public sealed class DeploymentIdentity(IDbContextFactory<SlmOpsDbContext> contexts)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _value;

    public async Task<string> GetAsync(CancellationToken ct)
    {
        if (_value is { } known) return known;
        await _gate.WaitAsync(ct);
        try
        {
            if (_value is not null) return _value;
            await using var db = await contexts.CreateDbContextAsync(ct);
            _value = await db.Database
                .SqlQueryRaw<string>("SELECT datname || ':' || oid::text AS \"Value\" FROM pg_database WHERE datname = current_database()")
                .SingleAsync(ct);
            return _value;
        }
        finally
        {
            _gate.Release();
        }
    }
}
