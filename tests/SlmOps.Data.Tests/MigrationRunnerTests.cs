using Microsoft.Extensions.Logging.Abstractions;
using SlmOps.Data.Migrations;
using SlmOps.Data.Tests.Infrastructure;

namespace SlmOps.Data.Tests;

/// <summary>Each test gets an empty database of its own and a private copy of the migrations directory.</summary>
public sealed class MigrationRunnerTests : IAsyncLifetime
{
    private readonly MigrationsDirectory _directory = new();
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync("runner");

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _directory.Dispose();
    }

    private MigrationRunner Runner(string? directory = null) =>
        new(_database.ConnectionString, directory ?? _directory.Path, NullLogger.Instance);

    [Fact]
    public async Task Applying_to_an_empty_database_applies_every_file_and_records_its_checksum()
    {
        var applied = await Runner().ApplyAsync(CancellationToken.None);

        Assert.Equal(MigrationsDirectory.RealFileNames, applied);
        Assert.Contains("0001_initial.sql", applied);
        var rows = await Runner().ReadAppliedAsync(CancellationToken.None);
        Assert.Equal(applied, rows.Select(r => r.FileName));
        var initial = rows.Single(r => r.FileName == "0001_initial.sql");
        Assert.Equal(1, initial.Version);
        Assert.Equal(
            MigrationFile.ComputeChecksum(await File.ReadAllTextAsync(Path.Combine(_directory.Path, "0001_initial.sql"))),
            initial.Checksum);
        Assert.True(initial.ExecutionMs >= 0);
        Assert.InRange(initial.AppliedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        // Tables and views: run_metrics became a view over metric_series and metric_points (0007); teams and the two share
        // tables (0010); sweep_trials and sweep_rungs (0011); run_ranks (0012).
        Assert.Equal(24L, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'"));
    }

    [Fact]
    public void The_default_directory_holds_the_repository_migrations()
    {
        var files = MigrationFile.LoadAll(MigrationRunner.DefaultMigrationsDirectory);

        Assert.Equal("0001_initial.sql", files[0].FileName);
        // Strictly increasing; a branch may leave a gap for a number another branch holds (issue 18 took 0010 beside 0009).
        Assert.Equal(files.Select(f => f.Version).Order().Distinct(), files.Select(f => f.Version));
        Assert.Contains(files, f => f.FileName == "0010_teams.sql");
    }

    [Fact]
    public async Task Running_twice_applies_nothing_the_second_time()
    {
        var first = await Runner().ApplyAsync(CancellationToken.None);
        var second = await Runner().ApplyAsync(CancellationToken.None);

        Assert.NotEmpty(first);
        Assert.Empty(second);
        Assert.Equal(first.Count, (await Runner().ReadAppliedAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_new_file_is_applied_on_the_next_run_and_only_it()
    {
        await Runner().ApplyAsync(CancellationToken.None);
        _directory.Write("0900_add_notes.sql", "ALTER TABLE datasets ADD COLUMN notes text;");

        var applied = await Runner().ApplyAsync(CancellationToken.None);

        Assert.Equal(["0900_add_notes.sql"], applied);
        Assert.Equal(1L, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'datasets' AND column_name = 'notes'"));
    }

    [Fact]
    public async Task Concurrent_runners_apply_each_file_exactly_once()
    {
        // Slow, non-idempotent files: without the lock both runners would see them pending, and the second
        // CREATE TABLE or INSERT would fail or duplicate the row.
        using var directory = new MigrationsDirectory(withRealMigrations: false);
        directory.Write("0001_slow_table.sql", "CREATE TABLE applied_log (file text NOT NULL); SELECT pg_sleep(0.4);");
        directory.Write("0002_slow_insert.sql", "INSERT INTO applied_log VALUES ('0002'); SELECT pg_sleep(0.4);");
        directory.Write("0003_insert.sql", "INSERT INTO applied_log VALUES ('0003');");

        var runners = Enumerable.Range(0, 4).Select(_ => Runner(directory.Path)).ToList();
        var results = await Task.WhenAll(runners.Select(r => Task.Run(() => r.ApplyAsync(CancellationToken.None))));

        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(["0001_slow_table.sql", "0002_slow_insert.sql", "0003_insert.sql"], all.Order(StringComparer.Ordinal));
        Assert.Single(results, r => r.Count > 0);
        Assert.Equal(2L, await _database.ScalarAsync<long>("SELECT count(*) FROM applied_log"));
        Assert.Equal(3L, await _database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Concurrent_runners_apply_the_real_migrations_once()
    {
        var results = await Task.WhenAll(
            Enumerable.Range(0, 3).Select(_ => Task.Run(() => Runner().ApplyAsync(CancellationToken.None))));

        Assert.Equal(MigrationsDirectory.RealFileNames, results.SelectMany(r => r).Order(StringComparer.Ordinal));
        Assert.Equal((long)MigrationsDirectory.RealFileNames.Count, await _database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task An_edited_applied_file_is_refused_by_name_and_nothing_else_is_applied()
    {
        await Runner().ApplyAsync(CancellationToken.None);
        _directory.Append("0001_initial.sql", "\n-- an innocent-looking edit\n");
        _directory.Write("0900_pending.sql", "CREATE TABLE should_not_exist (id int);");

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner().ApplyAsync(CancellationToken.None));

        Assert.Equal("0001_initial.sql", error.FileName);
        Assert.Contains("0001_initial.sql", error.Message);
        Assert.Contains("edited", error.Message);
        Assert.False(await _database.ScalarAsync<bool>("SELECT to_regclass('should_not_exist') IS NOT NULL"));
    }

    [Fact]
    public async Task Converting_line_endings_is_not_an_edit()
    {
        await Runner().ApplyAsync(CancellationToken.None);
        var path = Path.Combine(_directory.Path, "0001_initial.sql");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("\n", "\r\n"));

        Assert.Empty(await Runner().ApplyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_missing_applied_file_is_refused_by_name()
    {
        _directory.Write("0900_extra.sql", "CREATE TABLE extra (id int);");
        await Runner().ApplyAsync(CancellationToken.None);
        _directory.Delete("0900_extra.sql");

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner().ApplyAsync(CancellationToken.None));

        Assert.Equal("0900_extra.sql", error.FileName);
        Assert.Contains("0900_extra.sql", error.Message);
        Assert.Contains("missing", error.Message);
    }

    [Fact]
    public async Task A_file_with_a_syntax_error_names_the_file_and_position_and_leaves_no_partial_state()
    {
        // The first statement succeeds, the second is broken: the whole file must roll back.
        _directory.Write("0900_broken.sql", """
            CREATE TABLE partial_marker (id int);
            INSERT INTO partial_marker VALUES (1);
            CREATE TABLE broken (id int,, name text);
            """);
        _directory.Write("0901_after.sql", "CREATE TABLE after_broken (id int);");

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner().ApplyAsync(CancellationToken.None));

        Assert.Equal("0900_broken.sql", error.FileName);
        Assert.Contains("0900_broken.sql", error.Message);
        Assert.Contains("syntax error", error.Message);
        Assert.Contains("line 3, column 29", error.Message);
        var applied = await Runner().ReadAppliedAsync(CancellationToken.None);
        Assert.Equal(MigrationsDirectory.RealFileNames, applied.Select(a => a.FileName));
        Assert.False(await _database.ScalarAsync<bool>("SELECT to_regclass('partial_marker') IS NOT NULL"));
        Assert.False(await _database.ScalarAsync<bool>("SELECT to_regclass('after_broken') IS NOT NULL"));
        Assert.Equal("runs", await _database.ScalarAsync<string>("SELECT to_regclass('runs')::text"));
    }

    [Fact]
    public async Task After_fixing_a_broken_file_the_runner_continues_from_it()
    {
        _directory.Write("0900_broken.sql", "CREATE TABLE fixed_later (id int,);");
        await Assert.ThrowsAsync<MigrationException>(() => Runner().ApplyAsync(CancellationToken.None));
        _directory.Write("0900_broken.sql", "CREATE TABLE fixed_later (id int);");

        Assert.Equal(["0900_broken.sql"], await Runner().ApplyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_runtime_error_in_a_function_body_is_reported_with_the_file()
    {
        _directory.Write("0900_fails_at_runtime.sql", """
            CREATE FUNCTION boom() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1 / 0; END; $$;
            SELECT boom();
            """);

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner().ApplyAsync(CancellationToken.None));

        Assert.Equal("0900_fails_at_runtime.sql", error.FileName);
        Assert.Contains("division by zero", error.Message);
        Assert.False(await _database.ScalarAsync<bool>("SELECT to_regproc('boom') IS NOT NULL"));
    }

    [Fact]
    public async Task A_new_file_numbered_before_an_applied_one_is_refused()
    {
        _directory.Write("0900_later.sql", "SELECT 1;");
        await Runner().ApplyAsync(CancellationToken.None);
        _directory.Write("0500_forgotten.sql", "SELECT 1;");

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner().ApplyAsync(CancellationToken.None));

        Assert.Equal("0500_forgotten.sql", error.FileName);
        Assert.Contains("0900_later.sql", error.Message);
    }

    [Theory]
    [InlineData("1_too_short.sql")]
    [InlineData("0002-dashes.sql")]
    [InlineData("0002_UpperCase.sql")]
    public async Task A_badly_named_file_is_refused_before_anything_runs(string fileName)
    {
        _directory.Write(fileName, "CREATE TABLE should_not_exist (id int);");

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner().ApplyAsync(CancellationToken.None));

        Assert.Equal(fileName, error.FileName);
        Assert.Empty(await Runner().ReadAppliedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Two_files_with_the_same_version_are_refused()
    {
        _directory.Write("0001_duplicate.sql", "SELECT 1;");

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner().ApplyAsync(CancellationToken.None));

        Assert.Contains("0001_duplicate.sql", error.Message);
        Assert.Contains("0001_initial.sql", error.Message);
    }

    [Fact]
    public async Task The_lock_is_released_after_a_failure()
    {
        _directory.Write("0900_broken.sql", "SELEC 1;");
        await Assert.ThrowsAsync<MigrationException>(() => Runner().ApplyAsync(CancellationToken.None));

        Assert.Equal(0L, await _database.ScalarAsync<long>(
            // pg_locks is server-wide: other test databases migrating at the same time hold the same key.
            $"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = {MigrationRunner.AdvisoryLockKey & 0xFFFFFFFF} " +
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
    }
}
