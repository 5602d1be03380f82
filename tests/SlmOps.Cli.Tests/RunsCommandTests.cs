using System.Text.Json;
using SlmOps.Cli.Tests.Server;

namespace SlmOps.Cli.Tests;

public sealed class RunsCommandTests(CliServerHost server) : IClassFixture<CliServerHost>
{
    private async Task<long> UploadDatasetAsync(string name)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("slmops-cli-runs-").FullName, "data.txt");
        File.WriteAllText(file, "hello world\nanother line of text\n");
        var upload = await server.RunAsync("datasets", "upload", name, file, "--json");
        Assert.True(upload.ExitCode == 0, upload.ToString());
        return JsonDocument.Parse(upload.Stdout).RootElement.GetProperty("id").GetInt64();
    }

    private async Task<Guid> InsertRunAsync(string status, double progress, double? loss, string config)
    {
        var id = Guid.NewGuid();
        await server.ExecuteAsync(
            "INSERT INTO runs (id, kind, status, name, config, progress, latest_loss, created_by) VALUES ($1, 'TrainBaseModel', $2, 'watched', $3::jsonb, $4, $5, 'tests')",
            id, status, config, progress, loss is null ? DBNull.Value : loss.Value);
        return id;
    }

    [Fact]
    public async Task An_invalid_spec_exits_5_and_names_the_field()
    {
        var result = await server.RunAsync("runs", "submit", "prepare", "--set", "datasetVersionId=987654", "--set", "tokenizerKind=char-pair");

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("datasetVersionId", result.Stderr);
        Assert.Contains("Dataset version 987654 does not exist", result.Stderr);
    }

    [Fact]
    public async Task A_submitted_run_is_listed_shown_cancelled_and_watch_reports_the_cancel()
    {
        var versionId = await UploadDatasetAsync("runs-data");
        var spec = Path.Combine(Directory.CreateTempSubdirectory("slmops-cli-spec-").FullName, "prepare.json");
        File.WriteAllText(spec, """{"tokenizerKind": "char-pair", "validationFraction": 0.2}""");

        var submitted = await server.RunAsync("runs", "submit", "prepare", "--spec", spec, "--set", $"datasetVersionId={versionId}", "--name", "cli-prepare", "--priority", "3", "--json");

        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        var run = JsonDocument.Parse(submitted.Stdout).RootElement;
        var id = run.GetProperty("id").GetGuid();
        Assert.Equal(versionId, run.GetProperty("config").GetProperty("datasetVersionId").GetInt64());
        Assert.Equal(0.2, run.GetProperty("config").GetProperty("validationFraction").GetDouble());
        Assert.Equal(3, run.GetProperty("priority").GetInt32());

        var list = await server.RunAsync("runs", "list", "--kind", "prepare", "--name", "cli-prep", "--json");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains(JsonDocument.Parse(list.Stdout).RootElement.GetProperty("items").EnumerateArray(), r => r.GetProperty("id").GetGuid() == id);

        var get = await server.RunAsync("runs", "get", id.ToString(), "--json");
        Assert.Equal("cli-prepare", JsonDocument.Parse(get.Stdout).RootElement.GetProperty("name").GetString());
        var table = await server.RunAsync("runs", "get", id.ToString());
        Assert.Contains("cli-prepare", table.Stdout);
        Assert.Contains("validationFraction", table.Stdout);

        var cancel = await server.RunAsync("runs", "cancel", id.ToString());
        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.Equal("Cancelled", await server.ScalarAsync<string>("SELECT status FROM runs WHERE id = $1", id));

        var watch = await server.RunAsync("runs", "watch", id.ToString());
        Assert.Equal(7, watch.ExitCode);
        Assert.Contains("was cancelled", watch.Stderr);
    }

    [Fact]
    public async Task Watch_follows_a_run_to_success_showing_step_total_and_loss()
    {
        var id = await InsertRunAsync("Running", 0.5, 2.5, """{"training": {"steps": 20}}""");
        await server.ExecuteAsync("INSERT INTO run_metrics (run_id, key, step, value) VALUES ($1, 'loss', 10, 2.5)", id);

        var watching = server.RunAsync("runs", "watch", id.ToString(), "--json");
        // Whether the watcher sees the Running state first or not, it must end on Succeeded with exit 0.
        await server.ExecuteAsync("INSERT INTO run_metrics (run_id, key, step, value) VALUES ($1, 'loss', 20, 1.25)", id);
        await server.ExecuteAsync("UPDATE runs SET status = 'Succeeded', progress = 1, latest_loss = 1.25, finished_at = now() WHERE id = $1", id);
        var result = await watching;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("step 20/20", result.Stderr);
        Assert.Contains("loss 1.25", result.Stderr);
        Assert.Equal(id, JsonDocument.Parse(result.Stdout).RootElement.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Watch_of_a_failed_run_exits_1_with_the_runs_error()
    {
        var id = await InsertRunAsync("Failed", 0.3, 4.0, "{}");
        await server.ExecuteAsync("UPDATE runs SET error = 'CUDA out of memory at step 12', finished_at = now() WHERE id = $1", id);

        var result = await server.RunAsync("runs", "watch", id.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("CUDA out of memory at step 12", result.Stderr);
    }

    [Fact]
    public async Task Metrics_prints_each_series_last_value()
    {
        var id = await InsertRunAsync("Running", 0.2, 3.0, "{}");
        await server.ExecuteAsync("INSERT INTO run_metrics (run_id, key, step, value) VALUES ($1, 'loss', 1, 5.0), ($1, 'loss', 2, 3.0), ($1, 'learning_rate', 2, 0.001)", id);

        var table = await server.RunAsync("runs", "metrics", id.ToString());
        var json = await server.RunAsync("runs", "metrics", id.ToString(), "--key", "loss", "--json");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("learning_rate", table.Stdout);
        var series = Assert.Single(JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray());
        Assert.Equal([5.0, 3.0], series.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()));
    }

    [Fact]
    public async Task Get_lists_a_data_parallel_runs_ranks_and_their_workers()
    {
        var id = await InsertRunAsync("Running", 0.5, 2.0, """{"distributed": {"worldSize": 2}}""");
        await server.ExecuteAsync("UPDATE runs SET attempt = 1 WHERE id = $1", id);
        await server.ExecuteAsync(
            "INSERT INTO run_ranks (run_id, attempt, rank, world_size, worker_name, device, claimed_at, joined_at) VALUES ($1, 1, 0, 2, 'box-a', 'cpu', now(), now()), ($1, 1, 1, 2, NULL, NULL, NULL, NULL)",
            id);

        var shown = await server.RunAsync("runs", "get", id.ToString());

        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains("0: box-a cpu joined", shown.Stdout);
        Assert.Contains("1: (offered) offered", shown.Stdout);
    }

    [Fact]
    public async Task An_unknown_run_exits_4()
    {
        var result = await server.RunAsync("runs", "get", Guid.NewGuid().ToString());

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("Run not found", result.Stderr);
    }

    [Fact]
    public async Task An_unknown_kind_or_a_malformed_id_is_a_usage_error()
    {
        Assert.Equal(2, (await server.RunAsync("runs", "submit", "explode")).ExitCode);
        Assert.Equal(2, (await server.RunAsync("runs", "get", "not-a-guid")).ExitCode);
        Assert.Equal(2, (await server.RunAsync("runs", "submit", "prepare", "--set", "novalue")).ExitCode);
    }

    [Fact]
    public async Task An_unreachable_server_exits_6_naming_the_url()
    {
        var env = server.Environment();
        env["SLMOPS_SERVER"] = "http://127.0.0.1:9/";

        var result = await ClientHarness.RunAsync(env, "runs", "list");

        Assert.Equal(6, result.ExitCode);
        Assert.Contains("Could not reach the SlmOps server at http://127.0.0.1:9/", result.Stderr);
    }
}
