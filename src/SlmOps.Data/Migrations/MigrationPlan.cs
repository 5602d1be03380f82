namespace SlmOps.Data.Migrations;

/// <summary>Decides which files to apply, after checking that the applied ones still match the directory.</summary>
internal static class MigrationPlan
{
    public static IReadOnlyList<MigrationFile> Pending(
        IReadOnlyList<MigrationFile> files, IReadOnlyList<AppliedMigration> applied, string directory)
    {
        var byName = files.ToDictionary(f => f.FileName, StringComparer.Ordinal);
        foreach (var row in applied)
        {
            if (!byName.TryGetValue(row.FileName, out var file))
            {
                throw new MigrationException(
                    $"Migration {row.FileName} was applied on {row.AppliedAt:u} but is missing from '{directory}'. " +
                    "Restore the file; applied migrations must never be deleted or renamed.",
                    row.FileName);
            }

            if (!string.Equals(file.Checksum, row.Checksum, StringComparison.Ordinal))
            {
                throw new MigrationException(
                    $"Migration {row.FileName} was edited after it was applied on {row.AppliedAt:u} " +
                    $"(checksum then {row.Checksum}, now {file.Checksum}). Revert the edit and put the change in a new migration file.",
                    row.FileName);
            }
        }

        var appliedNames = applied.Select(a => a.FileName).ToHashSet(StringComparer.Ordinal);
        var latest = applied.Count == 0 ? null : applied.MaxBy(a => a.Version);
        var pending = files.Where(f => !appliedNames.Contains(f.FileName)).ToList();
        var outOfOrder = pending.FirstOrDefault(f => latest is not null && f.Version < latest.Version);
        if (outOfOrder is not null)
        {
            throw new MigrationException(
                $"Migration {outOfOrder.FileName} is new but sorts before {latest!.FileName}, which is already applied. " +
                "Renumber it after the latest applied migration.",
                outOfOrder.FileName);
        }

        return pending;
    }
}
