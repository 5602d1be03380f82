using System.Net;
using System.Net.Http.Json;
using SlmOps.Contracts;
using SlmOps.Contracts.Runs;
using SlmOps.Contracts.Workers;
using SlmOps.Data.Entities;
using SlmOps.Web.Apis;
using SlmOps.Web.Tests.Apis;
using static SlmOps.Web.Tests.Tracking.TrackingSeed;

namespace SlmOps.Web.Tests.Tracking;

/// <summary>
/// The web host as the tracking service (issue 11): what a worker reports over the worker endpoints is what
/// PostgreSQL records, once, whatever is sent twice; a run that does not exist is a 404 the worker drops.
/// </summary>
public sealed class WorkerEndpointsTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task A_call_for_an_unknown_run_is_a_404_problem_naming_it()
    {
        using var worker = await host.CreateClientAsync(ApiKeyRole.Worker, "w-unknown");
        var id = Guid.NewGuid();
        var response = await worker.PostAsJsonAsync(WorkerApi.Claim(id), new RunClaimRequest(1, "w1", "cpu", 1), RunSpecJson.Options);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await ApiTestHost.ReadAsync<Problem>(response);
        Assert.Contains(id.ToString(), problem.Detail);
    }

    [Fact]
    public async Task An_idle_worker_that_reports_presence_is_listed_online_and_a_report_keeps_its_current_run()
    {
        using var worker = await host.CreateClientAsync(ApiKeyRole.Worker, "w-presence");
        using var viewer = await host.CreateClientAsync(ApiKeyRole.Viewer, "v-presence");

        var answer = await worker.PostAsJsonAsync(WorkerApi.Presence, new WorkerPresence("idle-box", "cpu", 2, "1.2.3"), RunSpecJson.Options);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        var listed = Assert.Single(await viewer.GetFromJsonAsync<List<WorkerDto>>("/api/v1/workers", ApiTestHost.Json) ?? [], w => w.Name == "idle-box");
        Assert.True(listed.Online);
        Assert.Equal((2, "1.2.3", (Guid?)null), (listed.Slots, listed.CodeVersion, listed.CurrentRunId));

        var run = await RunAsync(host, RunKind.PrepareDataset, new PrepareDatasetSpec { DatasetVersionId = 1 });
        await host.ExecuteAsync("UPDATE workers SET current_run_id = $1 WHERE name = 'idle-box'", run);
        await worker.PostAsJsonAsync(WorkerApi.Presence, new WorkerPresence("idle-box", "cpu", 2, "1.2.3"), RunSpecJson.Options);
        Assert.Equal(run, await host.ScalarAsync<Guid>("SELECT current_run_id FROM workers WHERE name = 'idle-box'"));

        var invalid = await worker.PostAsJsonAsync(WorkerApi.Presence, new WorkerPresence("", "cpu", 0, null), RunSpecJson.Options);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    [Fact]
    public async Task A_prepare_run_is_claimed_once_reports_metrics_once_and_registers_its_output_once()
    {
        using var worker = await host.CreateClientAsync(ApiKeyRole.Worker, "w-prepare");
        var file = await PutBlobAsync(worker, "first document\n\nsecond document\n");
        var dataset = await DatasetVersionAsync(host, file, "prepare-corpus");
        var run = await RunAsync(host, RunKind.PrepareDataset, new PrepareDatasetSpec { DatasetVersionId = dataset });

        var claim = await PostAsync<RunClaimResponse>(worker, WorkerApi.Claim(run), new RunClaimRequest(1, "w1", "cpu", 1));
        Assert.True(claim.Claimed, claim.Reason);
        Assert.Equal(dataset, claim.Assignment!.Spec.Prepare!.DatasetVersionId);
        Assert.Equal(file, claim.Assignment.Inputs.DatasetFile!.Sha256);
        var again = await PostAsync<RunClaimResponse>(worker, WorkerApi.Claim(run), new RunClaimRequest(1, "w2", "cpu", 1));
        Assert.False(again.Claimed);

        var beat = new RunHeartbeat
        {
            Attempt = 1, Worker = "w1", Step = 2, TotalSteps = 4, Loss = 1.5,
            Metrics = [new MetricReport("loss", 1, 2.0, DateTimeOffset.UtcNow), new MetricReport("loss", 2, 1.5, DateTimeOffset.UtcNow)],
            Logs = [new LogReport("info", "half way", DateTimeOffset.UtcNow)],
        };
        Assert.Equal(new RunHeartbeatResponse(true, false), await PostAsync<RunHeartbeatResponse>(worker, WorkerApi.Heartbeat(run), beat));
        await PostAsync<RunHeartbeatResponse>(worker, WorkerApi.Heartbeat(run), beat with { Logs = [] }); // a retried heartbeat
        Assert.Equal(2L, await host.ScalarAsync<long>("SELECT count(*) FROM run_metrics WHERE run_id = $1", run));
        Assert.Equal(0.5, await host.ScalarAsync<double>("SELECT progress FROM runs WHERE id = $1", run));

        var (manifest, files) = await PutFolderAsync(worker, new Dictionary<string, string> { ["train.bin"] = "t", ["val.bin"] = "v", ["tokenizer.json"] = "{}" });
        var outcome = Succeeded(1, prepared: new PreparedOutput(manifest, files["tokenizer.json"], 1234, 2, files));
        var first = await PostAsync<RunOutcomeResponse>(worker, WorkerApi.Outcome(run), outcome);
        var second = await PostAsync<RunOutcomeResponse>(worker, WorkerApi.Outcome(run), outcome);

        Assert.Equal(RunStatus.Succeeded, first.Status);
        Assert.Equal(first.Outputs, second.Outputs);
        Assert.Equal(manifest, await host.ScalarAsync<string>("SELECT prepared_artifact_sha256 FROM dataset_versions WHERE id = $1", dataset));
        Assert.Equal(1234L, await host.ScalarAsync<long>("SELECT token_count FROM dataset_versions WHERE id = $1", dataset));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM run_events WHERE run_id = $1 AND message LIKE 'Succeeded:%'", run));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM run_events WHERE run_id = $1 AND message = 'half way'", run));
    }

    [Fact]
    public async Task An_outcome_naming_a_blob_that_was_never_uploaded_fails_the_run_and_registers_nothing()
    {
        using var worker = await host.CreateClientAsync(ApiKeyRole.Worker, "w-missing");
        var (baseManifest, baseFiles) = await PutFolderAsync(worker, new Dictionary<string, string> { ["model.safetensors"] = "w0", ["tokenizer.json"] = "t0" });
        var llm = await BaseModelVersionAsync(host, baseFiles["model.safetensors"], baseFiles["tokenizer.json"], baseManifest);
        var dataset = await DatasetVersionAsync(host, baseFiles["tokenizer.json"], "missing-corpus");
        var run = await RunAsync(host, RunKind.TrainTaskModel, new FineTuneSpec { BaseModelVersionId = llm, DatasetVersionId = dataset, TaskModelName = "missing" }, RunStatus.Running);
        var files = new Dictionary<string, string> { ["model.safetensors"] = new('a', 64), ["tokenizer.json"] = baseFiles["tokenizer.json"] };

        var answer = await PostAsync<RunOutcomeResponse>(worker, WorkerApi.Outcome(run), Succeeded(1, Model(new string('b', 64), files)));

        Assert.Equal(RunStatus.Failed, answer.Status);
        Assert.Contains("not in the artifact store", await host.ScalarAsync<string>("SELECT error FROM runs WHERE id = $1", run));
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM slm_versions WHERE run_id = $1", run));
    }

    [Fact]
    public async Task Twenty_concurrent_registrations_of_one_task_get_twenty_distinct_contiguous_version_numbers()
    {
        using var worker = await host.CreateClientAsync(ApiKeyRole.Worker, "w-concurrent");
        var (baseManifest, baseFiles) = await PutFolderAsync(worker, new Dictionary<string, string> { ["model.safetensors"] = "w1", ["tokenizer.json"] = "t1" });
        var llm = await BaseModelVersionAsync(host, baseFiles["model.safetensors"], baseFiles["tokenizer.json"], baseManifest);
        var dataset = await DatasetVersionAsync(host, baseFiles["tokenizer.json"], "concurrent-corpus");
        var runs = new List<(Guid Run, RunOutcome Outcome)>();
        for (var i = 0; i < 20; i++)
        {
            var spec = new FineTuneSpec { BaseModelVersionId = llm, DatasetVersionId = dataset, TaskModelName = "concurrent-task" };
            var (manifest, files) = await PutFolderAsync(worker, new Dictionary<string, string> { ["model.safetensors"] = $"weights {i}", ["tokenizer.json"] = "t1" });
            runs.Add((await RunAsync(host, RunKind.TrainTaskModel, spec, RunStatus.Running), Succeeded(1, Model(manifest, files))));
        }

        var answers = await Task.WhenAll(runs.Select(r => PostAsync<RunOutcomeResponse>(worker, WorkerApi.Outcome(r.Run), r.Outcome)));

        Assert.All(answers, a => Assert.Equal(RunStatus.Succeeded, a.Status));
        var versions = new List<int>();
        foreach (var (run, _) in runs) versions.Add(await host.ScalarAsync<int>("SELECT version FROM slm_versions WHERE run_id = $1", run));
        Assert.Equal(Enumerable.Range(1, 20), versions.Order());
    }

    [Fact]
    public async Task A_pretrain_outcome_registers_a_base_model_version_with_its_folder_and_lineage()
    {
        using var worker = await host.CreateClientAsync(ApiKeyRole.Worker, "w-pretrain");
        var corpus = await PutBlobAsync(worker, "pretrain corpus");
        var dataset = await DatasetVersionAsync(host, corpus, "pretrain-corpus");
        var run = await RunAsync(host, RunKind.TrainBaseModel, new PretrainSpec { DatasetVersionId = dataset, BaseModelName = "fresh-llm", Preset = "tiny-fft" }, RunStatus.Running);
        var (manifest, files) = await PutFolderAsync(worker, new Dictionary<string, string> { ["model.safetensors"] = "llm weights", ["tokenizer.json"] = "tok", ["config.json"] = "{}" });

        var answer = await PostAsync<RunOutcomeResponse>(worker, WorkerApi.Outcome(run), Succeeded(1, Model(manifest, files)));

        Assert.Equal(RunStatus.Succeeded, answer.Status);
        var version = long.Parse(answer.Outputs["base_model_version"]);
        Assert.Equal(manifest, await host.ScalarAsync<string>("SELECT manifest_sha256 FROM base_model_versions WHERE id = $1", version));
        Assert.Equal(1, await host.ScalarAsync<int>("SELECT version FROM base_model_versions WHERE id = $1", version));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM lineage_edges WHERE from_kind = 'run' AND from_id = $1 AND to_kind = 'base_model_version'", run.ToString()));
    }
}
