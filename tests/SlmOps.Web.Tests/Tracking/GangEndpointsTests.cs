using System.Net;
using System.Net.Http.Json;
using SlmOps.Contracts;
using SlmOps.Contracts.Runs;
using SlmOps.Contracts.Workers;
using SlmOps.Data.Entities;
using SlmOps.Web.Runs;
using SlmOps.Web.Tests.Apis;
using static SlmOps.Web.Tests.Tracking.TrackingSeed;

namespace SlmOps.Web.Tests.Tracking;

/// <summary>
/// Issue 14: gang scheduling over the worker endpoints. A worker that runs fewer ranks than a run's world size claims
/// rank 0 and the others are offered to other workers, one rank each; rank 0 publishes its store, the ranks join, the
/// run's DTO lists them; a worker that runs every rank itself takes them all; a rank's failure re-queues the gang.
/// </summary>
public sealed class GangEndpointsTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task A_gang_forms_over_two_workers_one_rank_each_and_the_run_lists_its_ranks()
    {
        using var worker = await host.CreateClientAsync(ApiKeyRole.Worker, "w-gang");
        var run = await PretrainAsync(worker, "gang-corpus", worldSize: 2);

        var root = await PostAsync<RunClaimResponse>(worker, WorkerApi.Claim(run), new RunClaimRequest(1, "box-a", "cpu", 1, Ranks: 1));
        Assert.True(root.Claimed, root.Reason);
        var gang = root.Assignment!.Gang!;
        Assert.Equal((0, 2), (gang.Rank, gang.WorldSize));
        Assert.InRange(gang.JoinSecondsLeft, 1, 60);

        // box-a already runs rank 0: rank 1 must go to another worker.
        var same = await PostAsync<RunClaimResponse>(worker, WorkerApi.ClaimRank(run, 1), new RunClaimRequest(1, "box-a", "cpu", 1));
        Assert.False(same.Claimed);
        Assert.Contains("already runs rank 0", same.Reason);
        // Before rank 0 publishes its store, a rank sees no address.
        Assert.Null((await PostAsync<GangState>(worker, WorkerApi.Gang(run), new GangReport(1, 0, "box-a"))).StoreAddress);

        var other = await PostAsync<RunClaimResponse>(worker, WorkerApi.ClaimRank(run, 1), new RunClaimRequest(1, "box-b", "cpu", 1));
        Assert.True(other.Claimed, other.Reason);
        Assert.Equal((1, 2), (other.Assignment!.Gang!.Rank, other.Assignment.Gang.WorldSize));
        Assert.Equal(root.Assignment.Inputs, other.Assignment.Inputs);
        var late = await PostAsync<RunClaimResponse>(worker, WorkerApi.ClaimRank(run, 1), new RunClaimRequest(1, "box-c", "cpu", 1));
        Assert.False(late.Claimed);
        Assert.Contains("already held by box-b", late.Reason);

        await PostAsync<GangState>(worker, WorkerApi.Gang(run), new GangReport(1, 0, "box-a", StoreAddress: "127.0.0.1:29500"));
        var seen = await PostAsync<GangState>(worker, WorkerApi.Gang(run), new GangReport(1, 1, "box-b"));
        Assert.Equal(("127.0.0.1:29500", true), (seen.StoreAddress, seen.Holds));
        // Somebody else's report holds nothing.
        Assert.False((await PostAsync<GangState>(worker, WorkerApi.Gang(run), new GangReport(1, 1, "box-c"))).Holds);

        await PostAsync<GangState>(worker, WorkerApi.Gang(run), new GangReport(1, 0, "box-a", Joined: true));
        Assert.Equal(0L, await FormedLinesAsync(run));
        await PostAsync<GangState>(worker, WorkerApi.Gang(run), new GangReport(1, 1, "box-b", Joined: true));
        Assert.Equal(1L, await FormedLinesAsync(run));

        var beat = await PostAsync<RunHeartbeatResponse>(worker, WorkerApi.Heartbeat(run), new RunHeartbeat { Attempt = 1, Worker = "box-b", Rank = 1 });
        Assert.True(beat.Holds);
        var stranger = await PostAsync<RunHeartbeatResponse>(worker, WorkerApi.Heartbeat(run), new RunHeartbeat { Attempt = 1, Worker = "box-c", Rank = 1 });
        Assert.False(stranger.Holds);

        using var viewer = host.CreateClient();
        var dto = await viewer.GetFromJsonAsync<RunDto>($"/api/v1/runs/{run}", ApiTestHost.Json);
        Assert.Equal(
            [(0, "box-a", "joined", false), (1, "box-b", "joined", false)],
            dto!.Ranks!.Select(k => (k.Rank, k.Worker, k.State, k.Local)).ToList());
    }

    [Fact]
    public async Task A_worker_that_runs_every_rank_itself_takes_the_whole_run_and_no_rank_is_offered()
    {
        using var worker = await host.CreateClientAsync(ApiKeyRole.Worker, "w-local");
        var run = await PretrainAsync(worker, "local-corpus", worldSize: 2);

        var claim = await PostAsync<RunClaimResponse>(worker, WorkerApi.Claim(run), new RunClaimRequest(1, "big-box", "cpu", 1, Ranks: 2));

        Assert.True(claim.Claimed, claim.Reason);
        Assert.Null(claim.Assignment!.Gang);
        Assert.Equal(2L, await host.ScalarAsync<long>("SELECT count(*) FROM run_ranks WHERE run_id = $1 AND local AND worker_name = 'big-box' AND joined_at IS NOT NULL", run));
        var offered = await PostAsync<RunClaimResponse>(worker, WorkerApi.ClaimRank(run, 1), new RunClaimRequest(1, "box-b", "cpu", 1));
        Assert.False(offered.Claimed);
    }

    [Fact]
    public async Task A_formed_gang_whose_rank_failed_goes_back_to_the_queue_for_its_next_attempt_and_an_unformed_one_uses_no_attempt()
    {
        using var worker = await host.CreateClientAsync(ApiKeyRole.Worker, "w-broken");
        var run = await PretrainAsync(worker, "broken-corpus", worldSize: 2);
        await PostAsync<RunClaimResponse>(worker, WorkerApi.Claim(run), new RunClaimRequest(1, "box-a", "cpu", 1));

        // Rank 1 never came: rank 0 gives up at its join deadline; the claim is released and attempt 1 is not used.
        var failed = new RunOutcome { Attempt = 1, Worker = "box-a", Status = RunStatus.Failed, Error = "rank 0 of 2: agree on build failed: timeout", Retryable = true };
        var released = await PostAsync<RunOutcomeResponse>(worker, WorkerApi.Outcome(run), failed);
        Assert.Equal(RunStatus.Queued, released.Status);
        Assert.Equal(("Queued", 0), (await host.ScalarAsync<string>("SELECT status FROM runs WHERE id = $1", run), await host.ScalarAsync<int>("SELECT attempt FROM runs WHERE id = $1", run)));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM run_events WHERE run_id = $1 AND message LIKE 'The gang of 2 ranks did not form (rank 0 on box-a: rank 0 of 2: agree on build failed: timeout)%'", run));

        // Formed this time; then rank 1's worker dies and rank 0's all-reduce fails: attempt 1 is used, attempt 2 follows.
        await PostAsync<RunClaimResponse>(worker, WorkerApi.Claim(run), new RunClaimRequest(1, "box-a", "cpu", 1));
        await PostAsync<RunClaimResponse>(worker, WorkerApi.ClaimRank(run, 1), new RunClaimRequest(1, "box-b", "cpu", 1));
        await PostAsync<GangState>(worker, WorkerApi.Gang(run), new GangReport(1, 0, "box-a", Joined: true));
        await PostAsync<GangState>(worker, WorkerApi.Gang(run), new GangReport(1, 1, "box-b", Joined: true));
        var broken = await PostAsync<RunOutcomeResponse>(worker, WorkerApi.Outcome(run), failed with { Error = "rank 0 of 2: all_reduce (gloo) failed: Connection closed by peer" });

        Assert.Equal(RunStatus.Queued, broken.Status);
        Assert.Equal(("Queued", 1), (await host.ScalarAsync<string>("SELECT status FROM runs WHERE id = $1", run), await host.ScalarAsync<int>("SELECT attempt FROM runs WHERE id = $1", run)));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM run_events WHERE run_id = $1 AND message LIKE 'The gang broke: rank 0 of 2: all_reduce (gloo) failed: Connection closed by peer. Re-queued for attempt 2 of 3%'", run));
        // A failure that is not a collective's (not retryable) still fails the run.
        await PostAsync<RunClaimResponse>(worker, WorkerApi.Claim(run), new RunClaimRequest(2, "box-a", "cpu", 1, Ranks: 2));
        var fatal = await PostAsync<RunOutcomeResponse>(worker, WorkerApi.Outcome(run), new RunOutcome { Attempt = 2, Worker = "box-a", Status = RunStatus.Failed, Error = "out of memory" });
        Assert.Equal(RunStatus.Failed, fatal.Status);
    }

    [Fact]
    public async Task A_rank_claim_without_a_rank_above_zero_is_a_400()
    {
        using var worker = await host.CreateClientAsync(ApiKeyRole.Worker, "w-bad-rank");
        var response = await worker.PostAsJsonAsync(WorkerApi.ClaimRank(Guid.NewGuid(), 0), new RunClaimRequest(1, "box-a", "cpu", 1), RunSpecJson.Options);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private Task<long> FormedLinesAsync(Guid run) =>
        host.ScalarAsync<long>("SELECT count(*) FROM run_events WHERE run_id = $1 AND message = 'The gang formed: rank 0 on box-a, rank 1 on box-b'", run);

    /// <summary>A Queued pretrain of the given world size over a prepared dataset version (its folder in the artifact store).</summary>
    private async Task<Guid> PretrainAsync(HttpClient worker, string name, int worldSize)
    {
        var (prepared, files) = await PutFolderAsync(worker, new Dictionary<string, string> { ["train.bin"] = name + "t", ["val.bin"] = name + "v", ["tokenizer.json"] = "{}" });
        var dataset = await DatasetVersionAsync(host, files["train.bin"], name);
        await host.ExecuteAsync("UPDATE dataset_versions SET prepared_artifact_sha256 = $1 WHERE id = $2", prepared, dataset);
        return await RunAsync(host, RunKind.TrainBaseModel, new PretrainSpec
        {
            DatasetVersionId = dataset, BaseModelName = name + "-llm", Preset = "tiny-fft", Distributed = new DistributedSpec { WorldSize = worldSize },
        });
    }
}
