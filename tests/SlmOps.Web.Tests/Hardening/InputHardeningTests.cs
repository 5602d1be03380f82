using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SlmOps.Data.Entities;
using SlmOps.Web.Tests.Apis;

namespace SlmOps.Web.Tests.Hardening;

/// <summary>
/// Input that used to reach PostgreSQL (500), be stored as sent, or be refused in .NET's words: every one is now a 400
/// (or 414) problem details answer that names the field and what to send, and nothing is stored.
/// </summary>
public sealed class InputHardeningTests(RunsApiHost host) : IClassFixture<RunsApiHost>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("System.", body);
        return JsonDocument.Parse(body).RootElement;
    }

    private static string Errors(JsonElement problem) => problem.TryGetProperty("errors", out var errors) ? errors.GetRawText() : "";

    private Task<long> RunCountAsync() => host.ScalarAsync<long>("SELECT count(*) FROM runs");

    [Theory]
    [InlineData("""{"name": "a\u0000b", "priority": 1, "spec": {"datasetVersionId": DV}}""", "name")]
    [InlineData("""{"name": "ok", "priority": 1, "spec": {"datasetVersionId": DV, "tokenizerKind": "char\u0000pair"}}""", "spec.tokenizerKind")]
    [InlineData("""{"name": "ok", "priority": 1, "spec": {"datasetVersionId": DV, "x\u0000": 1}}""", "spec.x")]
    [InlineData("""{"name": "evil\u202Eexe.txt", "priority": 1, "spec": {"datasetVersionId": DV}}""", "name")]
    public async Task A_nul_or_bidi_character_in_a_submission_is_a_400_naming_the_field_and_nothing_is_stored(string body, string field)
    {
        var version = await host.DatasetVersionAsync();
        var before = await RunCountAsync();
        using var client = host.CreateClient();

        var problem = await ProblemAsync(await client.PostAsync("/api/v1/runs/prepare", Json(body.Replace("DV", version.ToString()))));

        Assert.Contains(field, problem.GetProperty("detail").GetString());
        Assert.Equal(before, await RunCountAsync());
    }

    [Fact]
    public async Task A_run_name_over_the_limit_is_refused_naming_the_limit()
    {
        var version = await host.DatasetVersionAsync();
        using var client = host.CreateClient();

        var response = await client.PostAsync("/api/v1/runs/prepare",
            Json($$$"""{"name": "{{{new string('n', 201)}}}", "priority": 1, "spec": {"datasetVersionId": {{{version}}}}}"""));

        var problem = await ProblemAsync(response);
        Assert.Contains("the limit is 200", Errors(problem));
    }

    [Fact]
    public async Task A_nul_in_a_clone_name_is_a_400_and_no_clone_is_stored()
    {
        var version = await host.DatasetVersionAsync();
        var id = await host.RunAsync("Succeeded", "original", $$$"""{"datasetVersionId": {{{version}}}}""");
        var before = await RunCountAsync();
        using var client = host.CreateClient();

        await ProblemAsync(await client.PostAsync($"/api/v1/runs/{id}/clone", Json("""{"name": "clone\u0000"}""")));

        Assert.Equal(before, await RunCountAsync());
    }

    [Theory]
    [InlineData("/api/v1/api-keys", """{"name": "key\u0000", "role": "viewer"}""")]
    [InlineData("/api/v1/webhooks", """{"url": "https://example.com/\u0000", "events": ["alias.changed"]}""")]
    public async Task A_nul_in_a_key_name_or_webhook_url_is_a_400_not_a_500(string path, string body)
    {
        using var client = host.CreateClient();

        var problem = await ProblemAsync(await client.PostAsync(path, Json(body)));

        Assert.Contains("NUL", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_webhook_url_over_the_limit_is_refused_naming_the_limit()
    {
        using var client = host.CreateClient();

        var response = await client.PostAsync("/api/v1/webhooks",
            Json($$$"""{"url": "https://example.com/{{{new string('a', 2100)}}}", "events": ["alias.changed"]}"""));

        Assert.Contains("the limit is 2,048", (await ProblemAsync(response)).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/v1/runs?search=a%00b", "search")]
    [InlineData("/api/v1/audit?entityKind=%00", "entityKind")]
    public async Task A_nul_in_a_query_parameter_or_path_is_a_400_problem(string url, string named)
    {
        using var client = host.CreateClient();

        var problem = await ProblemAsync(await client.GetAsync(url));

        Assert.Contains(named, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/v1/runs?page=2147483647", "page")]
    [InlineData("/api/v1/runs?page=0", "page")]
    [InlineData("/api/v1/runs?pageSize=0", "pageSize")]
    [InlineData("/api/v1/runs?pageSize=-1", "pageSize")]
    [InlineData("/api/v1/runs?pageSize=1000000", "pageSize")]
    public async Task Out_of_range_paging_is_refused_naming_the_allowed_range(string url, string parameter)
    {
        using var client = host.CreateClient();

        var problem = await ProblemAsync(await client.GetAsync(url));

        Assert.StartsWith($"{parameter} must be between", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("metrics?maxPoints=1", "maxPoints")]
    [InlineData("metrics?maxPoints=1000000", "maxPoints")]
    [InlineData("events?limit=0", "limit")]
    [InlineData("events?limit=-5", "limit")]
    public async Task Out_of_range_metric_and_event_limits_are_refused_not_clamped(string route, string parameter)
    {
        var id = await host.RunAsync("Queued", "limits");
        using var client = host.CreateClient();

        var problem = await ProblemAsync(await client.GetAsync($"/api/v1/runs/{id}/{route}"));

        Assert.StartsWith($"{parameter} must be between", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    [InlineData("1000")]
    public async Task A_learning_rate_that_is_not_a_finite_sensible_number_is_refused(string rate)
    {
        using var client = host.CreateClient();

        var response = await client.PostAsync("/api/v1/runs/pretrain",
            Json("""{"name": "lr", "priority": 1, "spec": {"datasetVersionId": 1, "baseModelName": "m", "preset": "tiny-gpt", "training": {"learningRate": """ + rate + "}}}"));

        Assert.Contains("training.learningRate", Errors(await ProblemAsync(response)));
    }

    [Theory]
    [InlineData("steps", 2_000_000, "Runs:Limits:MaxSteps")]
    [InlineData("batchSize", 5000, "Runs:Limits:MaxBatchSize")]
    [InlineData("blockSize", 10000, "Runs:Limits:MaxBlockSize")]
    public async Task Training_settings_above_the_configured_maximum_are_refused_naming_the_limit(string field, int value, string setting)
    {
        using var client = host.CreateClient();

        var response = await client.PostAsync("/api/v1/runs/pretrain",
            Json($$$"""{"name": "big", "priority": 1, "spec": {"datasetVersionId": 1, "baseModelName": "m", "preset": "tiny-gpt", "training": {"{{{field}}}": {{{value}}}""" + "}}}"));

        var errors = Errors(await ProblemAsync(response));
        Assert.Contains($"training.{field}", errors);
        Assert.Contains(setting, errors);
    }

    [Theory]
    [InlineData("pretrain", 0, "Must be at least 1")]
    [InlineData("pretrain", -3, "Must be at least 1")]
    [InlineData("pretrain", 9, "Runs:Limits:MaxWorldSize")]
    [InlineData("finetune", 0, "Must be at least 1")]
    [InlineData("finetune", 64, "Runs:Limits:MaxWorldSize")]
    public async Task A_world_size_below_1_or_above_the_configured_maximum_is_refused(string route, int worldSize, string says)
    {
        var before = await RunCountAsync();
        using var client = host.CreateClient();
        var spec = route == "pretrain"
            ? """{"datasetVersionId": 1, "baseModelName": "m", "preset": "tiny-gpt", "distributed": {"worldSize": WS}}"""
            : """{"baseModelVersionId": 1, "datasetVersionId": 1, "taskModelName": "t", "slmPreset": "tiny-gpt", "distributed": {"worldSize": WS}}""";

        var response = await client.PostAsync($"/api/v1/runs/{route}",
            Json("""{"name": "ddp", "priority": 1, "spec": """ + spec.Replace("WS", worldSize.ToString()) + "}"));

        var errors = Errors(await ProblemAsync(response));
        Assert.Contains("distributed.worldSize", errors);
        Assert.Contains(says, errors);
        Assert.Equal(before, await RunCountAsync());
    }

    [Theory]
    [InlineData("prepare", """{"datasetVersionId": 1, "distributed": {"worldSize": 2}}""")]
    [InlineData("evaluate", """{"baseModelVersionId": 1, "datasetVersionId": 1, "distributed": {"worldSize": 2}}""")]
    public async Task Prepare_and_evaluate_runs_refuse_data_parallel_ranks(string route, string spec)
    {
        using var client = host.CreateClient();

        var response = await client.PostAsync($"/api/v1/runs/{route}", Json("""{"name": "ddp", "priority": 1, "spec": """ + spec + "}"));

        var errors = (await ProblemAsync(response)).GetProperty("errors");
        Assert.Contains("pretrain and fine-tune", errors.GetProperty("distributed")[0].GetString());
    }

    [Fact]
    public async Task Plugin_peft_refuses_data_parallel_ranks_naming_the_field()
    {
        using var client = host.CreateClient();
        var spec = """{"baseModelVersionId": 1, "datasetVersionId": 1, "taskModelName": "t", "method": "plugin-peft", "distributed": {"worldSize": 2}}""";

        var response = await client.PostAsync("/api/v1/runs/finetune", Json("""{"name": "ddp", "priority": 1, "spec": """ + spec + "}"));

        var errors = (await ProblemAsync(response)).GetProperty("errors");
        Assert.Contains("does not run data-parallel", errors.GetProperty("distributed.worldSize")[0].GetString());
    }

    [Fact]
    public async Task Unknown_spec_fields_are_refused_by_name_and_nothing_is_stored()
    {
        var version = await host.DatasetVersionAsync();
        var before = await RunCountAsync();
        using var client = host.CreateClient();

        var response = await client.PostAsync("/api/v1/runs/prepare",
            Json($$$"""{"name": "typo", "priority": 1, "spec": {"datasetVersionId": {{{version}}}, "validationFracton": 0.2}}"""));

        var errors = Errors(await ProblemAsync(response));
        Assert.Contains("validationFracton", errors);
        Assert.Contains("validationFraction", errors);
        Assert.Equal(before, await RunCountAsync());
    }

    [Fact]
    public async Task A_body_field_of_the_wrong_type_names_the_field_the_type_and_the_value()
    {
        using var client = host.CreateClient();

        var response = await client.PostAsync("/api/v1/runs/prepare", Json("""{"name": "x", "priority": "high", "spec": {}}"""));

        var detail = (await ProblemAsync(response)).GetProperty("detail").GetString()!;
        Assert.Contains("'priority'", detail);
        Assert.Contains("integer", detail);
        Assert.Contains("\"high\"", detail);
    }

    [Fact]
    public async Task A_spec_field_of_the_wrong_type_shows_no_dotnet_type_names()
    {
        using var client = host.CreateClient();

        var response = await client.PostAsync("/api/v1/runs/pretrain",
            Json("""{"name": "x", "priority": 1, "spec": {"datasetVersionId": 1, "baseModelName": "m", "training": {"steps": true}}}"""));

        var errors = Errors(await ProblemAsync(response));
        Assert.Contains("training.steps", errors);
        Assert.Contains("integer", errors);
        Assert.DoesNotContain("Nullable", errors);
    }

    [Fact]
    public async Task An_empty_body_says_what_to_send()
    {
        using var client = host.CreateClient();

        var response = await client.PostAsync("/api/v1/runs/prepare", Json(""));

        Assert.Contains("JSON object", (await ProblemAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_url_over_the_limit_is_a_414_problem()
    {
        using var client = host.CreateClient();

        var response = await client.GetAsync("/api/v1/runs?search=" + new string('a', 9000));

        await ProblemAsync(response, HttpStatusCode.RequestUriTooLong);
    }

    [Fact]
    public async Task A_multipart_upload_cut_short_is_a_400_and_leaves_no_file_or_row()
    {
        using var client = host.CreateClient();
        var body = "--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\ncut-short\r\n" +
            "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nsome text\nmore text\n";
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");

        var problem = await ProblemAsync(await client.PostAsync("/api/v1/datasets", content));

        Assert.Contains("ended early", problem.GetProperty("detail").GetString());
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM datasets WHERE name = 'cut-short'"));
        var files = Directory.Exists(host.ArtifactsRoot) ? Directory.GetFiles(host.ArtifactsRoot, "*", SearchOption.AllDirectories) : [];
        Assert.DoesNotContain(files, f => File.ReadAllText(f).Contains("some text"));
    }

    [Fact]
    public async Task A_jsonl_upload_that_is_not_json_lines_is_refused_naming_the_first_bad_line()
    {
        using var client = host.CreateClient();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("not-jsonl"), "name" },
            { new StringContent("{\"text\": \"a\"}\nthis is not json\n{\"text\": \"c\"}\n"), "file", "data.jsonl" },
        };

        var problem = await ProblemAsync(await client.PostAsync("/api/v1/datasets", form));

        Assert.Contains("line 2", problem.GetProperty("detail").GetString());
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM datasets WHERE name = 'not-jsonl'"));
    }

    [Fact]
    public async Task A_nul_in_an_upload_file_name_or_an_oversized_description_is_a_400()
    {
        using var client = host.CreateClient();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("described"), "name" },
            { new StringContent(new string('d', 2001)), "description" },
            { new StringContent("hello\n"), "file", "a.txt" },
        };

        var problem = await ProblemAsync(await client.PostAsync("/api/v1/datasets", form));

        Assert.Contains("description", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_alias_reason_over_the_limit_is_refused_naming_the_limit()
    {
        using var client = host.CreateClient();

        var response = await client.PutAsJsonAsync("/api/v1/task-models/none/aliases/staging",
            new { version = 1, reason = new string('r', 1001) });

        Assert.Contains("the limit is 1,000", (await ProblemAsync(response)).GetProperty("detail").GetString());
    }
}
