using Microsoft.Extensions.Logging.Abstractions;
using SlmOps.Web.Sweeper;

namespace SlmOps.Web.Tests.Sweeper;

/// <summary>The retention rule over the per-run folders of the worker (WorkRoot/&lt;run id:N&gt;/work/latest/...).</summary>
public sealed class CheckpointPrunerTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"slmops-prune-{Guid.NewGuid():N}");

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync("prune");

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Only_folders_of_runs_finished_before_the_retention_and_old_orphans_are_removed()
    {
        var oldSucceeded = await RunAsync("Succeeded", finishedAgo: "8 days");
        var oldFailed = await RunAsync("Failed", finishedAgo: "30 days");
        var recentSucceeded = await RunAsync("Succeeded", finishedAgo: "1 day");
        var oldRunning = await RunAsync("Running", heartbeatAgo: "5 seconds");
        var oldQueued = await RunAsync("Queued");
        var oldOrphan = Guid.NewGuid();
        var freshOrphan = Guid.NewGuid();
        var all = new[] { oldSucceeded, oldFailed, recentSucceeded, oldRunning, oldQueued, oldOrphan, freshOrphan };
        foreach (var id in all) WriteCheckpoint(id, age: id == freshOrphan ? TimeSpan.Zero : TimeSpan.FromDays(20));
        Directory.CreateDirectory(Path.Combine(_root, "not-a-run"));
        Directory.SetLastWriteTimeUtc(Path.Combine(_root, "not-a-run"), DateTime.UtcNow.AddDays(-20));

        var pruned = await Pruner().PruneAsync(DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(new[] { oldSucceeded, oldFailed, oldOrphan }.Select(Folder).Order(), pruned.Order());
        Assert.All(new[] { oldSucceeded, oldFailed, oldOrphan }, id => Assert.False(Directory.Exists(Folder(id))));
        Assert.All(new[] { recentSucceeded, oldRunning, oldQueued, freshOrphan },
            id => Assert.True(File.Exists(Path.Combine(Folder(id), "work", "latest", "trainer.json"))));
        Assert.True(Directory.Exists(Path.Combine(_root, "not-a-run")));
    }

    [Fact]
    public async Task Without_a_work_root_nothing_is_pruned()
    {
        var pruner = new CheckpointPruner(_database.DataSource, new SweeperOptions { WorkRoot = null }, NullLogger<CheckpointPruner>.Instance);

        Assert.Empty(await pruner.PruneAsync(DateTimeOffset.UtcNow, CancellationToken.None));
    }

    private CheckpointPruner Pruner() => new(
        _database.DataSource,
        new SweeperOptions { WorkRoot = _root, CheckpointRetention = TimeSpan.FromDays(7) },
        NullLogger<CheckpointPruner>.Instance);

    private Task<Guid> RunAsync(string status, string? finishedAgo = null, string? heartbeatAgo = null) =>
        RunSweeperTests.InsertRunAsync(_database, status, attempt: 1, heartbeatAgo: heartbeatAgo, finishedAgo: finishedAgo);

    private string Folder(Guid id) => Path.Combine(_root, id.ToString("N"));

    private void WriteCheckpoint(Guid id, TimeSpan age)
    {
        var latest = Path.Combine(Folder(id), "work", "latest");
        Directory.CreateDirectory(latest);
        var file = Path.Combine(latest, "trainer.json");
        File.WriteAllText(file, "{}");
        var at = DateTime.UtcNow - age;
        File.SetLastWriteTimeUtc(file, at);
        Directory.SetLastWriteTimeUtc(latest, at);
        Directory.SetLastWriteTimeUtc(Path.Combine(Folder(id), "work"), at);
        Directory.SetLastWriteTimeUtc(Folder(id), at);
    }
}
