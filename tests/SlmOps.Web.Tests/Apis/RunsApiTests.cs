using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SlmOps.Contracts;
using SlmOps.Data.Entities;
using SlmOps.Web.Runs;

namespace SlmOps.Web.Tests.Apis;

/// <summary>Runs submitted here (clones) go to the fixture's own queues, removed with it.</summary>
public sealed class RunsApiHost : ApiTestHost
{
    /// <summary>A dataset version a prepare spec may name.</summary>
    public async Task<long> DatasetVersionAsync()
    {
        var datasetId = await ScalarAsync<long>($"INSERT INTO datasets (name, created_by) VALUES ('runs-api-{Guid.NewGuid():N}', 't') RETURNING id");
        await ExecuteAsync("INSERT INTO artifacts (sha256, size_bytes, media_type, uri) VALUES (repeat('b', 64), 10, 'text/plain', 'file://x') ON CONFLICT DO NOTHING");
        return await ScalarAsync<long>(
            "INSERT INTO dataset_versions (dataset_id, version, sha256, size_bytes, format, row_count, created_by) VALUES ($1, 1, repeat('b', 64), 10, 'text', 1, 't') RETURNING id",
            datasetId);
    }

    public Task<Guid> RunAsync(string status, string name, string config = "{}", string kind = "PrepareDataset") =>
        ScalarAsync<Guid>("INSERT INTO runs (kind, status, name, config, priority, created_by) VALUES ($1::text, $2::text, $3, $4::jsonb, 3, 't') RETURNING id",
            kind, status, name, config);
}

/// <summary>Cancel, clone and the read routes of /api/v1/runs, on PostgreSQL and RabbitMQ.</summary>
public sealed class RunsApiTests(RunsApiHost host) : IClassFixture<RunsApiHost>
{
    [Fact]
    public async Task Cancelling_a_queued_run_ends_it_at_once_and_logs_who_asked()
    {
        var id = await host.RunAsync("Queued", "to-cancel");
        using var editor = await host.CreateClientAsync(ApiKeyRole.Editor, "canceller");

        var response = await editor.PostAsync($"/api/v1/runs/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var run = await ApiTestHost.ReadAsync<RunDto>(response);
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.NotNull(run.FinishedAt);
        Assert.Equal("Cancelled", await host.ScalarAsync<string>("SELECT status::text FROM runs WHERE id = $1", id));
        Assert.Equal("Cancel requested by canceller", await host.ScalarAsync<string>("SELECT message FROM run_events WHERE run_id = $1 AND level = 'warning'", id));
    }

    [Fact]
    public async Task Cancelling_a_running_run_records_the_request_and_leaves_stopping_to_its_worker()
    {
        var id = await host.RunAsync("Running", "to-stop");
        using var editor = await host.CreateClientAsync(ApiKeyRole.Editor);

        var run = await ApiTestHost.ReadAsync<RunDto>(await editor.PostAsync($"/api/v1/runs/{id}/cancel", null));

        Assert.Equal(RunStatus.Running, run.Status);
        Assert.NotNull(run.CancelRequestedAt);
    }

    [Fact]
    public async Task Cancelling_a_finished_run_is_a_conflict_that_says_which_runs_can_be_cancelled()
    {
        var id = await host.RunAsync("Succeeded", "done");
        using var editor = await host.CreateClientAsync(ApiKeyRole.Editor);

        var response = await editor.PostAsync($"/api/v1/runs/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await ApiTestHost.ReadAsync<Problem>(response);
        Assert.Equal($"Run {id} already finished as Succeeded; only Queued or Running runs can be cancelled.", problem.Detail);
        Assert.Equal("Succeeded", await host.ScalarAsync<string>("SELECT status::text FROM runs WHERE id = $1", id));
    }

    [Fact]
    public async Task Cancelling_or_cloning_an_unknown_run_is_not_found_and_points_at_the_list()
    {
        using var client = host.CreateClient();
        var id = Guid.NewGuid();

        foreach (var response in new[]
                 {
                     await client.PostAsync($"/api/v1/runs/{id}/cancel", null),
                     await client.PostAsJsonAsync($"/api/v1/runs/{id}/clone", new { }),
                     await client.GetAsync($"/api/v1/runs/{id}/metrics"),
                 })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal($"No run has id {id}. List runs with GET /api/v1/runs.", (await ApiTestHost.ReadAsync<Problem>(response)).Detail);
        }
    }

    [Fact]
    public async Task Cloning_merges_the_overrides_into_the_original_spec_and_keeps_its_kind_and_priority()
    {
        var versionId = await host.DatasetVersionAsync();
        var original = await host.RunAsync("Succeeded", "prep-original",
            $$"""{"datasetVersionId": {{versionId}}, "tokenizerKind": "char-pair", "validationFraction": 0.1}""");
        using var editor = await host.CreateClientAsync(ApiKeyRole.Editor);

        var response = await editor.PostAsJsonAsync($"/api/v1/runs/{original}/clone",
            new { name = "prep-clone", overrides = new { validationFraction = 0.25 } });

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var clone = await ApiTestHost.ReadAsync<RunDto>(response);
        Assert.Equal(RunKind.PrepareDataset, clone.Kind);
        Assert.Equal(RunStatus.Queued, clone.Status);
        Assert.Equal("prep-clone", clone.Name);
        Assert.Equal(3, clone.Priority);
        Assert.Equal(original, clone.ClonedFromRunId);
        Assert.Equal(0.25, clone.Config.GetProperty("validationFraction").GetDouble());
        Assert.Equal("char-pair", clone.Config.GetProperty("tokenizerKind").GetString());
        Assert.Equal(versionId, clone.Config.GetProperty("datasetVersionId").GetInt64());
    }

    [Fact]
    public async Task A_clone_whose_merged_spec_is_invalid_is_refused_naming_the_field()
    {
        var versionId = await host.DatasetVersionAsync();
        var original = await host.RunAsync("Failed", "prep-bad-clone", $$"""{"datasetVersionId": {{versionId}}}""");
        using var editor = await host.CreateClientAsync(ApiKeyRole.Editor);

        var response = await editor.PostAsJsonAsync($"/api/v1/runs/{original}/clone", new { overrides = new { tokenizerKind = "words" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("Use one of", body.RootElement.GetProperty("errors").GetProperty("tokenizerKind")[0].GetString());
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM runs WHERE cloned_from_run_id = $1", original));
    }

    [Fact]
    public async Task A_clone_without_overrides_resubmits_the_original_spec_as_it_was()
    {
        var versionId = await host.DatasetVersionAsync();
        var spec = $$"""{"datasetVersionId": {{versionId}}, "tokenizerKind": "char-pair", "validationFraction": 0.1}""";
        var original = await host.RunAsync("Failed", "prep-plain-clone", spec);
        using var editor = await host.CreateClientAsync(ApiKeyRole.Editor);

        foreach (var body in new[] { "{}", """{"overrides": null}""" })
        {
            var response = await editor.PostAsync($"/api/v1/runs/{original}/clone", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{body}: {await response.Content.ReadAsStringAsync()}");
            var clone = await ApiTestHost.ReadAsync<RunDto>(response);
            Assert.Equal(("prep-plain-clone", original), (clone.Name, clone.ClonedFromRunId));
            Assert.Equal(0.1, clone.Config.GetProperty("validationFraction").GetDouble());
        }
    }

    [Fact]
    public async Task Overrides_that_are_not_an_object_are_refused_naming_overrides_not_spec()
    {
        var original = await host.RunAsync("Failed", "prep-odd-overrides", $$"""{"datasetVersionId": {{await host.DatasetVersionAsync()}}}""");
        using var editor = await host.CreateClientAsync(ApiKeyRole.Editor);

        var response = await editor.PostAsync($"/api/v1/runs/{original}/clone",
            new StringContent("""{"overrides": [1, 2]}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = body.RootElement.GetProperty("errors");
        Assert.False(errors.TryGetProperty("spec", out _), errors.ToString());
        Assert.Contains("Must be a JSON object", errors.GetProperty("overrides")[0].GetString());
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM runs WHERE cloned_from_run_id = $1", original));
    }

    [Fact]
    public async Task Listing_filters_by_status_kind_and_name_or_id_and_pages_newest_first()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var older = await host.RunAsync("Failed", $"list-{tag}-a");
        var newer = await host.RunAsync("Failed", $"list-{tag}-b");
        await host.RunAsync("Succeeded", $"list-{tag}-c");
        using var viewer = await host.CreateClientAsync(ApiKeyRole.Viewer);

        var first = await viewer.GetFromJsonAsync<RunPage>($"/api/v1/runs?status=Failed&kind=PrepareDataset&search={tag}&pageSize=1", ApiTestHost.Json);
        var second = await viewer.GetFromJsonAsync<RunPage>($"/api/v1/runs?status=Failed&search={tag}&pageSize=1&page=2", ApiTestHost.Json);
        var byId = await viewer.GetFromJsonAsync<RunPage>($"/api/v1/runs?search={older.ToString()[..13]}", ApiTestHost.Json);

        Assert.Equal(2, first!.Total);
        Assert.Equal(newer, Assert.Single(first.Items).Id);
        Assert.Equal(older, Assert.Single(second!.Items).Id);
        Assert.Equal(older, Assert.Single(byId!.Items).Id);
    }

    [Fact]
    public async Task Metrics_are_downsampled_keeping_both_ends_and_events_page_after_an_id()
    {
        var id = await host.RunAsync("Running", "series");
        await host.ExecuteAsync("INSERT INTO run_metrics (run_id, key, step, value) SELECT $1, 'loss', s, 1.0 / s FROM generate_series(1, 100) s", id);
        await host.ExecuteAsync("INSERT INTO run_events (run_id, level, message) VALUES ($1, 'info', 'one'), ($1, 'info', 'two'), ($1, 'info', 'three')", id);
        using var viewer = await host.CreateClientAsync(ApiKeyRole.Viewer);

        var series = await viewer.GetFromJsonAsync<List<MetricSeriesDto>>($"/api/v1/runs/{id}/metrics?maxPoints=10", ApiTestHost.Json);
        var all = await viewer.GetFromJsonAsync<List<RunEventDto>>($"/api/v1/runs/{id}/events", ApiTestHost.Json);
        var rest = await viewer.GetFromJsonAsync<List<RunEventDto>>($"/api/v1/runs/{id}/events?after={all![0].Id}&limit=1", ApiTestHost.Json);

        var loss = Assert.Single(series!);
        Assert.Equal(10, loss.Points.Count);
        Assert.Equal(1, loss.Points[0].Step);
        Assert.Equal(100, loss.Points[^1].Step);
        Assert.Equal(["one", "two", "three"], all.Select(e => e.Message));
        Assert.Equal("two", Assert.Single(rest!).Message);
    }
}
