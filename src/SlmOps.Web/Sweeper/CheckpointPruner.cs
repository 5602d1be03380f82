using Npgsql;

namespace SlmOps.Web.Sweeper;

/// <summary>
/// Retention for the per-run folders workers keep under <c>WorkRoot/&lt;run id&gt;/</c> (the resumable checkpoint in
/// <c>work/</c>, unpublished attempt outputs in <c>output-&lt;attempt&gt;/</c>). A folder is
/// removed when its run finished (Succeeded, Failed, Cancelled) longer ago than <c>CheckpointRetention</c>, or when
/// no run has its name and nothing in it changed for that long. Queued and Running runs keep theirs: it is what
/// the next attempt resumes from. Registered model versions are in the artifact store, never in these folders.
/// </summary>
public sealed class CheckpointPruner(NpgsqlDataSource database, SweeperOptions options, ILogger<CheckpointPruner> logger)
{
    public async Task<IReadOnlyList<string>> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (options.WorkRoot is not { Length: > 0 } root || !Directory.Exists(root)) return [];

        var folders = new Dictionary<Guid, DirectoryInfo>();
        foreach (var folder in new DirectoryInfo(root).EnumerateDirectories())
        {
            if (Guid.TryParse(folder.Name, out var id)) folders[id] = folder;
        }

        if (folders.Count == 0) return [];
        var states = await ReadRunStatesAsync(folders.Keys.ToArray(), cancellationToken);
        var cutoff = now - options.CheckpointRetention;
        var pruned = new List<string>();
        foreach (var (id, folder) in folders)
        {
            var expired = states.TryGetValue(id, out var state)
                ? state.Status is "Succeeded" or "Failed" or "Cancelled" && state.FinishedAt is { } finished && finished < cutoff
                : LastWrite(folder) < cutoff;
            if (!expired) continue;
            try
            {
                folder.Delete(recursive: true);
                pruned.Add(folder.FullName);
                logger.LogInformation("Pruned work folder {Folder} of run {RunId}", folder.FullName, id);
            }
            catch (IOException error)
            {
                logger.LogWarning(error, "Could not prune work folder {Folder}; the next sweep retries", folder.FullName);
            }
        }

        return pruned;
    }

    private async Task<Dictionary<Guid, (string Status, DateTimeOffset? FinishedAt)>> ReadRunStatesAsync(Guid[] ids, CancellationToken ct)
    {
        await using var command = database.CreateCommand(LostRunSql.RunStates);
        command.Parameters.AddWithValue("ids", ids);
        var states = new Dictionary<Guid, (string, DateTimeOffset?)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            states[reader.GetGuid(0)] = (reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2));
        }

        return states;
    }

    private static DateTimeOffset LastWrite(DirectoryInfo folder)
    {
        var newest = folder.LastWriteTimeUtc;
        foreach (var entry in folder.EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            if (entry.LastWriteTimeUtc > newest) newest = entry.LastWriteTimeUtc;
        }

        return new DateTimeOffset(newest, TimeSpan.Zero);
    }
}
