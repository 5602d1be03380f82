using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SlmOps.Contracts;
using SlmOps.Contracts.Runs;
using SlmOps.Contracts.Workers;
using SlmOps.Data.Entities;
using SlmOps.Web.Runs;
using static SlmOps.Web.Tests.Teams.TeamsTestHost;
using static SlmOps.Web.Tests.Tracking.TrackingSeed;

namespace SlmOps.Web.Tests.Teams;

/// <summary>
/// Team quotas: a run over its team's limit is not refused, it waits in Queued with a run event saying why, while
/// other teams' runs go ahead; when the team frees a place the waiting run is sent again.
/// </summary>
public sealed class TeamQuotaTests(TeamsTestHost host) : IClassFixture<TeamsTestHost>
{
    [Fact]
    public async Task With_a_limit_of_one_running_run_a_teams_second_run_waits_while_another_teams_run_starts()
    {
        const string team = "one-at-a-time";
        Assert.Equal(HttpStatusCode.Created, (await host.CreateClient().PostAsJsonAsync("/api/v1/teams", new { name = team, maxRunningRuns = 1 })).StatusCode);
        var worker = await host.ClientAsync(Team.DefaultName, ApiKeyRole.Worker);
        var first = await PrepareRunAsync(worker, team, "running-1");
        var second = await PrepareRunAsync(worker, team, "running-2");
        var other = await PrepareRunAsync(worker, Beta, "running-other");

        Assert.True((await ClaimAsync(worker, first)).Claimed);
        var waits = await ClaimAsync(worker, second);
        Assert.False(waits.Claimed);
        Assert.Contains($"team '{team}' has 1 of its 1 runs running (maxRunningRuns)", waits.Reason);
        Assert.Equal("Queued", await host.ScalarAsync<string>("SELECT status FROM runs WHERE id = $1", second));
        Assert.Equal(waits.Reason, await host.ScalarAsync<string>("SELECT message FROM run_events WHERE run_id = $1 ORDER BY id DESC LIMIT 1", second));
        Assert.True((await ClaimAsync(worker, other)).Claimed); // beta's run is not held by the other team's quota

        // The first run ends: the team has room again, so the waiting run is sent and its claim succeeds.
        Assert.False(await host.ScalarAsync<bool>("SELECT dispatched_at IS NOT NULL FROM runs WHERE id = $1", second));
        var ended = await worker.PostAsJsonAsync(WorkerApi.Outcome(first),
            new RunOutcome { Attempt = 1, Worker = "w1", Status = RunStatus.Failed, Error = "stopped by the test" }, RunSpecJson.Options);
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.True(await host.ScalarAsync<bool>("SELECT dispatched_at IS NOT NULL FROM runs WHERE id = $1", second));
        Assert.True((await ClaimAsync(worker, second)).Claimed);
    }

    [Fact]
    public async Task With_a_limit_of_one_queued_run_a_teams_second_run_is_not_sent_until_the_first_starts()
    {
        const string team = "one-in-the-queue";
        Assert.Equal(HttpStatusCode.Created, (await host.CreateClient().PostAsJsonAsync("/api/v1/teams", new { name = team, maxQueuedRuns = 1 })).StatusCode);
        var worker = await host.ClientAsync(Team.DefaultName, ApiKeyRole.Worker);
        var first = await PrepareRunAsync(worker, team, "queued-1");
        var second = await PrepareRunAsync(worker, team, "queued-2");
        var dispatcher = host.Services.GetRequiredService<IRunDispatcher>();

        Assert.True(await dispatcher.DispatchAsync(first, CancellationToken.None));
        Assert.False(await dispatcher.DispatchAsync(second, CancellationToken.None));
        Assert.False(await host.ScalarAsync<bool>("SELECT dispatched_at IS NOT NULL FROM runs WHERE id = $1", second));
        Assert.Contains("(maxQueuedRuns 1)", await host.ScalarAsync<string>("SELECT message FROM run_events WHERE run_id = $1 ORDER BY id DESC LIMIT 1", second));

        Assert.True((await ClaimAsync(worker, first)).Claimed); // it left the queue: the second is sent
        Assert.True(await host.ScalarAsync<bool>("SELECT dispatched_at IS NOT NULL FROM runs WHERE id = $1", second));
    }

    /// <summary>A Queued prepare run of <paramref name="team"/> on a dataset version whose file the worker uploaded.</summary>
    private async Task<Guid> PrepareRunAsync(HttpClient worker, string team, string name)
    {
        var file = await PutBlobAsync(worker, $"a document of {name}\n");
        var dataset = await host.ScalarAsync<long>("INSERT INTO datasets (name, created_by, team) VALUES ($1, 'test', $2) RETURNING id", $"{name}-data", team);
        var version = await host.ScalarAsync<long>(
            "INSERT INTO dataset_versions (dataset_id, version, sha256, size_bytes, format, created_by) VALUES ($1, 1, $2, 10, 'text', 'test') RETURNING id", dataset, file);
        var run = await RunAsync(host, RunKind.PrepareDataset, new PrepareDatasetSpec { DatasetVersionId = version });
        await host.ExecuteAsync("UPDATE runs SET team = $1, name = $2 WHERE id = $3", team, name, run);
        return run;
    }

    private static Task<RunClaimResponse> ClaimAsync(HttpClient worker, Guid run) =>
        PostAsync<RunClaimResponse>(worker, WorkerApi.Claim(run), new RunClaimRequest(1, "w1", "cpu", 1));
}
