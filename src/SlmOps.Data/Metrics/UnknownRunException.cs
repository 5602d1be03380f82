using Npgsql;

namespace SlmOps.Data.Metrics;

/// <summary>
/// Metric points named a run that does not exist (never created, or deleted meanwhile); nothing of the write was
/// stored. A caller sending points can tell this from a database fault: resending will not help.
/// </summary>
public sealed class UnknownRunException(IReadOnlyList<Guid> runIds, string message, Exception inner) : Exception(message, inner)
{
    /// <summary>The runs that do not exist or, where they could not be looked up, every run the write named.</summary>
    public IReadOnlyList<Guid> RunIds { get; } = runIds;

    /// <summary>
    /// Names the missing runs: looked up when the write's transaction is over (<paramref name="canQuery"/>); inside
    /// the caller's transaction, now aborted, it can only list the runs the write named.
    /// </summary>
    internal static async Task<UnknownRunException> ForAsync(
        NpgsqlConnection connection, bool canQuery, IEnumerable<IEnumerable<MetricPoint>> batches, PostgresException error)
    {
        var named = batches.SelectMany(b => b).Select(p => p.RunId).Distinct().ToArray();
        if (!canQuery)
        {
            return new UnknownRunException(named, $"Metric points name a run that does not exist (one of {string.Join(", ", named)}).", error);
        }

        await using var command = new NpgsqlCommand("SELECT id FROM runs WHERE id = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = named });
        var existing = new HashSet<Guid>();
        await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
        {
            while (await reader.ReadAsync(CancellationToken.None)) existing.Add(reader.GetGuid(0));
        }

        var missing = named.Where(id => !existing.Contains(id)).ToArray();
        return new UnknownRunException(missing.Length > 0 ? missing : named,
            $"Metric points name {(missing.Length == 1 ? "a run that does" : "runs that do")} not exist: {string.Join(", ", missing.Length > 0 ? missing : named)}.", error);
    }
}
