using System.Net;
using SlmOps.Web.Tests.Apis;

namespace SlmOps.Web.Tests.Dashboard;

/// <summary>
/// The server-prerendered HTML of the dashboard pages, on a database of their own: what a person sees before
/// the circuit connects (interactivity itself is covered by the browser tests).
/// </summary>
public sealed class DashboardPagesTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task Run_detail_shows_status_parameters_metrics_and_log_lines()
    {
        var runId = await host.ScalarAsync<Guid>(
            """
            INSERT INTO runs (kind, status, name, config, created_by, worker_name, device, started_at, progress, latest_loss)
            VALUES ('TrainTaskModel', 'Running', 'detail-run', '{"training": {"steps": 321, "learningRate": 0.0003}}', 'tester',
                    'box-1', 'cpu', now() - interval '90 seconds', 0.25, 1.2345)
            RETURNING id
            """);
        await host.ExecuteAsync("INSERT INTO run_metrics (run_id, key, step, value) VALUES ($1, 'loss', 1, 2.5), ($1, 'loss', 2, 2.0)", runId);
        await host.ExecuteAsync("INSERT INTO run_events (run_id, level, message) VALUES ($1, 'info', 'step 2 of 321')", runId);
        using var client = host.CreateClient();

        var html = WebUtility.HtmlDecode(await client.GetStringAsync($"/runs/{runId}"));

        Assert.Contains("detail-run", html);
        Assert.Contains("Running", html);
        Assert.Contains("training.steps", html);
        Assert.Contains("321", html);
        Assert.Contains("1.2345", html);
        Assert.Contains("step 2 of 321", html);
        Assert.Contains("box-1", html);
        Assert.DoesNotContain("No metrics recorded yet", html);
    }

    [Fact]
    public async Task Run_detail_of_an_unknown_id_says_so_and_where_to_look()
    {
        using var client = host.CreateClient();
        var id = Guid.NewGuid();

        var html = await client.GetStringAsync($"/runs/{id}");

        Assert.Contains($"No run has id {id}", html);
        Assert.Contains("href=\"runs\"", html);
    }

    [Fact]
    public async Task Runs_table_lists_runs_with_status_and_loss()
    {
        await host.ExecuteAsync(
            "INSERT INTO runs (kind, status, name, created_by, latest_loss) VALUES ('PrepareDataset', 'Succeeded', 'listed-run', 'tester', 0.5)");
        using var client = host.CreateClient();

        var html = await client.GetStringAsync("/runs");

        Assert.Contains("listed-run", html);
        Assert.Contains("Succeeded", html);
        Assert.Contains("0.5000", html);
    }

    [Fact]
    public async Task Overview_shows_the_run_queues_online_workers_and_running_runs()
    {
        var runId = await host.ScalarAsync<Guid>(
            "INSERT INTO runs (kind, status, name, created_by, worker_name, started_at) VALUES ('TrainBaseModel', 'Running', 'overview-run', 'tester', 'overview-box', now()) RETURNING id");
        await host.ExecuteAsync("INSERT INTO workers (name, device, slots, current_run_id) VALUES ('overview-box', 'cuda:0', 2, $1)", runId);
        using var client = host.CreateClient();

        var html = await client.GetStringAsync("/");

        Assert.Contains(host.QueuePrefix + "cpu", html);
        Assert.Contains(host.QueuePrefix + "cuda", html);
        Assert.Contains("overview-box", html);
        Assert.Contains("cuda:0", html);
        Assert.Contains("overview-run", html);
        Assert.Contains($"runs/{runId}", html);
    }

    [Fact]
    public async Task Compare_puts_parameters_side_by_side_and_marks_the_ones_that_differ()
    {
        var first = await host.ScalarAsync<Guid>(
            """INSERT INTO runs (kind, name, config, created_by) VALUES ('TrainTaskModel', 'cmp-a', '{"lr": 0.001, "steps": 100}', 't') RETURNING id""");
        var second = await host.ScalarAsync<Guid>(
            """INSERT INTO runs (kind, name, config, created_by) VALUES ('TrainTaskModel', 'cmp-b', '{"lr": 0.002, "steps": 100}', 't') RETURNING id""");
        await host.ExecuteAsync("INSERT INTO run_metrics (run_id, key, step, value) VALUES ($1, 'loss', 1, 3.0), ($2, 'loss', 1, 2.0)", first, second);
        using var client = host.CreateClient();

        var html = await client.GetStringAsync($"/compare?runs={first},{second}");

        Assert.Contains("cmp-a", html);
        Assert.Contains("cmp-b", html);
        Assert.Matches("data-differs=\"true\"[^>]*>\\s*<th>lr</th>", html);
        Assert.Matches("data-differs=\"false\"[^>]*>\\s*<th>steps</th>", html);
    }

    [Fact]
    public async Task Datasets_page_lists_datasets_with_their_latest_version()
    {
        var datasetId = await host.ScalarAsync<long>("INSERT INTO datasets (name, created_by) VALUES ('pages-ds', 't') RETURNING id");
        await host.ExecuteAsync("INSERT INTO artifacts (sha256, size_bytes, media_type, uri) VALUES (repeat('a', 64), 2048, 'text/plain', 'file://x') ON CONFLICT DO NOTHING");
        await host.ExecuteAsync(
            "INSERT INTO dataset_versions (dataset_id, version, sha256, size_bytes, format, row_count, created_by) VALUES ($1, 1, repeat('a', 64), 2048, 'text', 12, 't')",
            datasetId);
        using var client = host.CreateClient();

        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/datasets"));

        Assert.Contains("pages-ds", html);
        Assert.Contains("v1 · text · 2.0 KiB · 12 rows", html);
    }
}
