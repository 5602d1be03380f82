using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SlmOps.Data;
using SlmOps.Web.MlflowExport;
using SlmOps.Web.Tests.Sweeper;

namespace SlmOps.Web.Tests.Mlflow;

/// <summary>The MLflow exporter against a fake tracking server that checks every request against the REST 2.0 API.</summary>
public sealed class MlflowExporterTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private FakeMlflowServer _mlflow = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync("mlflow");
        _mlflow = await FakeMlflowServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _mlflow.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_finished_run_is_mirrored_with_flattened_params_every_metric_point_and_its_final_status()
    {
        var config = new JsonObject
        {
            ["experiment"] = "team-a",
            ["training"] = new JsonObject { ["lr"] = 0.001, ["steps"] = 500, ["device"] = "cpu" },
            ["layers"] = new JsonArray(new JsonObject { ["w"] = 1 }, new JsonObject { ["w"] = 2 }),
        };
        for (var i = 0; i < 150; i++) config[$"p{i:000}"] = i;
        var id = await InsertFinishedRunAsync("Succeeded", config.ToJsonString(), metricPoints: 2500);

        Assert.True(await Exporter(_mlflow.Uri).ExportAsync(id, CancellationToken.None));

        Assert.Empty(_mlflow.Violations);
        var run = Assert.Single(_mlflow.Runs.Values);
        Assert.Equal(_mlflow.Experiments["team-a"], run.ExperimentId);
        Assert.Equal("FINISHED", run.Status);
        Assert.Equal(await MillisAsync("finished_at", id), run.EndTime);
        Assert.Equal(await MillisAsync("started_at", id), run.StartTime);
        Assert.Equal(id.ToString(), run.Tags["slmops.run_id"]);
        Assert.Equal("TrainTaskModel", run.Tags["slmops.kind"]);
        Assert.Equal(156, run.Params.Count); // experiment, 3 training keys, 2 layer widths, 150 more
        Assert.Equal("0.001", run.Params["training.lr"]);
        Assert.Equal("cpu", run.Params["training.device"]);
        Assert.Equal("2", run.Params["layers.1.w"]);
        Assert.Equal(2500, run.Metrics.Count);
        Assert.Equal(Enumerable.Range(0, 1250).Select(s => (long)s), run.Metrics.Where(m => m.Key == "train/loss").Select(m => m.Step).Order());
        Assert.Contains(run.Metrics, m => m.Key == "val/loss" && m.Step == 7 && m.Value == 7 / 10.0);
        Assert.True(_mlflow.BatchCount >= 3, $"2,500 points need at least 3 batches, sent {_mlflow.BatchCount}");
    }

    [Fact]
    public async Task Runs_share_their_experiment_and_failed_or_cancelled_runs_end_failed_or_killed()
    {
        var failed = await InsertFinishedRunAsync("Failed", "{}", metricPoints: 0);
        var cancelled = await InsertFinishedRunAsync("Cancelled", "{}", metricPoints: 2);
        var exporter = Exporter(_mlflow.Uri);

        Assert.True(await exporter.ExportAsync(failed, CancellationToken.None));
        Assert.True(await exporter.ExportAsync(cancelled, CancellationToken.None));

        Assert.Empty(_mlflow.Violations);
        Assert.Equal(["slmops-TrainTaskModel"], _mlflow.Experiments.Keys);
        Assert.Equal(["FAILED", "KILLED"], _mlflow.Runs.Values.Select(r => r.Status).Order());
        Assert.Equal("worker crashed", _mlflow.Runs.Values.Single(r => r.Status == "FAILED").Tags["slmops.error"]);
    }

    [Fact]
    public async Task A_run_still_in_progress_is_not_exported()
    {
        var id = await RunSweeperTests.InsertRunAsync(_database, "Running", attempt: 1, heartbeatAgo: "1 second");

        Assert.False(await Exporter(_mlflow.Uri).ExportAsync(id, CancellationToken.None));
        Assert.Empty(_mlflow.Requests);
    }

    [Fact]
    public async Task An_unreachable_or_failing_tracker_is_reported_as_false_never_thrown()
    {
        var id = await InsertFinishedRunAsync("Succeeded", "{}", metricPoints: 1);

        Assert.False(await Exporter($"http://127.0.0.1:{TestStack.FreePort()}").ExportAsync(id, CancellationToken.None));
        _mlflow.FailWith = 500;
        Assert.False(await Exporter(_mlflow.Uri).ExportAsync(id, CancellationToken.None));
        Assert.NotEmpty(_mlflow.Requests);
    }

    [Fact]
    public async Task An_export_retried_after_a_failure_logs_to_the_MLflow_run_it_stored_instead_of_creating_a_second()
    {
        var id = await InsertFinishedRunAsync("Succeeded", """{"training": {"lr": 0.1}}""", metricPoints: 4);
        var job = new MlflowExportJob(Exporter(_mlflow.Uri));
        _mlflow.FailWith = 500;
        _mlflow.FailOnly = "runs/log-batch";

        await Assert.ThrowsAsync<MlflowExportFailedException>(() => job.ExportAsync(id, CancellationToken.None));
        var stored = await _database.ScalarAsync<string>("SELECT mlflow_run_id FROM runs WHERE id = $1", id);
        _mlflow.FailWith = null;
        await job.ExportAsync(id, CancellationToken.None);
        await job.ExportAsync(id, CancellationToken.None); // a redelivered event's job

        var run = Assert.Single(_mlflow.Runs.Values);
        Assert.Equal((run.RunId, "FINISHED"), (stored, run.Status));
        Assert.Equal(run.RunId, await _database.ScalarAsync<string>("SELECT mlflow_run_id FROM runs WHERE id = $1", id));
        Assert.Equal("0.1", run.Params["training.lr"]);
        Assert.Empty(_mlflow.Violations);
    }

    [Fact]
    public void Batches_stay_within_the_log_batch_limits_and_carry_everything_once()
    {
        var parameters = Enumerable.Range(0, 250).Select(i => new MlflowParam($"p{i}", "v")).ToList();
        var metrics = Enumerable.Range(0, 2500).Select(i => new MlflowMetric("m", i, 0, i)).ToList();
        var tags = Enumerable.Range(0, 5).Select(i => new MlflowTag($"t{i}", "v")).ToList();

        var batches = MlflowBatches.Split("run", parameters, metrics, tags).ToList();

        Assert.All(batches, b =>
        {
            Assert.InRange(b.Metrics.Count, 0, 1000);
            Assert.InRange(b.Params.Count, 0, 100);
            Assert.InRange(b.Metrics.Count + b.Params.Count + b.Tags.Count, 1, 1000);
        });
        Assert.Equal(parameters, batches.SelectMany(b => b.Params));
        Assert.Equal(metrics, batches.SelectMany(b => b.Metrics));
        Assert.Equal(tags, batches.SelectMany(b => b.Tags));
    }

    [Fact]
    public void Without_a_tracking_uri_nothing_is_registered()
    {
        var services = new ServiceCollection().AddMlflowExport(new ConfigurationBuilder().Build());

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IRunExporter));
    }

    private MlflowRunExporter Exporter(string trackingUri)
    {
        var services = new ServiceCollection();
        services.AddDbContextFactory<SlmOpsDbContext>(options => options.UseNpgsql(_database.ConnectionString));
        var http = new HttpClient { BaseAddress = new Uri(trackingUri.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        return new MlflowRunExporter(
            new MlflowClient(http),
            services.BuildServiceProvider().GetRequiredService<IDbContextFactory<SlmOpsDbContext>>(),
            new MlflowOptions { TrackingUri = trackingUri },
            NullLogger<MlflowRunExporter>.Instance);
    }

    private async Task<Guid> InsertFinishedRunAsync(string status, string config, int metricPoints)
    {
        var id = await RunSweeperTests.InsertRunAsync(_database, status, attempt: 1, worker: "cpu-box", finishedAgo: "1 minute");
        await _database.ExecuteAsync(
            "UPDATE runs SET config = $1::jsonb, error = CASE WHEN status = 'Failed' THEN 'worker crashed' END WHERE id = $2",
            config, id);
        await _database.ExecuteAsync(
            """
            INSERT INTO run_metrics (run_id, key, step, value, recorded_at)
            SELECT $1, CASE WHEN n % 2 = 0 THEN 'train/loss' ELSE 'val/loss' END, n / 2, (n / 2) / 10.0,
                   now() - interval '1 hour' + n * interval '1 second'
            FROM generate_series(0, $2 - 1) AS n
            """,
            id, metricPoints);
        return id;
    }

    private Task<long> MillisAsync(string column, Guid id) =>
        _database.ScalarAsync<long>($"SELECT (extract(epoch FROM date_trunc('milliseconds', {column})) * 1000)::bigint FROM runs WHERE id = $1", id);
}
