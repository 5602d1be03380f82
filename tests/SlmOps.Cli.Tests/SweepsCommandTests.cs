using System.Text.Json;
using SlmOps.Cli.Tests.Server;

namespace SlmOps.Cli.Tests;

/// <summary>`slmops sweeps submit|get` against a real web host (no worker: the trials stay queued, their points are seeded).</summary>
public sealed class SweepsCommandTests(CliServerHost server) : IClassFixture<CliServerHost>
{
    private async Task<string> SpecFileAsync()
    {
        var (baseId, datasetId) = await RegistrySeed.BaseAsync(server);
        await server.ExecuteAsync("UPDATE dataset_versions SET prepared_artifact_sha256 = $1, tokenizer_sha256 = $1 WHERE id = $2", RegistrySeed.Tokenizer, datasetId);
        var file = Path.Combine(Directory.CreateTempSubdirectory("slmops-cli-sweep-").FullName, "sweep.json");
        File.WriteAllText(file, $$$"""
            {"spec": {"baseModelVersionId": {{{baseId}}}, "datasetVersionId": {{{datasetId}}}, "taskModelName": "cli-sweep-task",
                      "slmPreset": "tiny-fft", "training": {"steps": 20, "evalEvery": 10}},
             "space": {"training.learningRate": {"values": [0.001, 0.01, 0.1]}},
             "parallelism": 2}
            """);
        return file;
    }

    [Fact]
    public async Task An_invalid_sweep_exits_5_and_names_the_field()
    {
        var result = await server.RunAsync("sweeps", "submit", "--spec", await SpecFileAsync(), "--set", "parallelism=0");

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("parallelism", result.Stderr);
        Assert.Contains("Must be at least 1", result.Stderr);
    }

    [Fact]
    public async Task A_submitted_sweep_shows_its_trials_ranked_by_their_metric_in_a_table()
    {
        var submitted = await server.RunAsync("sweeps", "submit", "--spec", await SpecFileAsync(), "--name", "cli-sweep", "--json");
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        var id = JsonDocument.Parse(submitted.Stdout).RootElement.GetProperty("id").GetGuid();

        // The scheduler (a background job) queues two of the three trials; no worker runs them here.
        JsonElement sweep;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            var get = await server.RunAsync("sweeps", "get", id.ToString(), "--json");
            Assert.True(get.ExitCode == 0, get.ToString());
            sweep = JsonDocument.Parse(get.Stdout).RootElement.Clone();
            if (sweep.GetProperty("submitted").GetInt32() == 2) break;
            Assert.True(DateTime.UtcNow < deadline, $"the sweep's trials were never submitted: {get.Stdout}");
            await Task.Delay(300);
        } while (true);
        var trials = sweep.GetProperty("trials").EnumerateArray().ToDictionary(t => t.GetProperty("index").GetInt32(), t => t.GetProperty("runId").GetGuid());
        // Trial 1 (lr 0.01) evaluates better than trial 0 (lr 0.001): it ranks first.
        await server.ExecuteAsync("INSERT INTO run_metrics (run_id, key, step, value) VALUES ($1, 'eval/val_loss', 10, 3.5), ($1, 'eval/val_loss', 20, 3.25)", trials[0]);
        await server.ExecuteAsync("INSERT INTO run_metrics (run_id, key, step, value) VALUES ($1, 'eval/val_loss', 10, 2.75)", trials[1]);

        var table = await server.RunAsync("sweeps", "get", id.ToString());

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("2 of 3 trial(s) submitted, 2 in flight; minimize eval/val_loss", table.Stdout);
        Assert.Contains("training.learningRate", table.Stdout);
        var first = table.Stdout.IndexOf(trials[1].ToString(), StringComparison.Ordinal);
        var second = table.Stdout.IndexOf(trials[0].ToString(), StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first, table.Stdout);
        Assert.Contains("2.75", table.Stdout);
        Assert.Contains("3.25", table.Stdout);
        var listed = await server.RunAsync("runs", "list", "--name", "cli-sweep", "--json");
        Assert.Equal(3, JsonDocument.Parse(listed.Stdout).RootElement.GetProperty("total").GetInt32()); // the sweep and its two trials
    }
}
