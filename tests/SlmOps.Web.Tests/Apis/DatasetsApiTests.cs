using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using SlmOps.Web.Datasets;

namespace SlmOps.Web.Tests.Apis;

public sealed class DatasetsApiHost : ApiTestHost
{
    public const long MaxUploadBytes = 8 * 1024;

    protected override IReadOnlyDictionary<string, string> Settings =>
        new Dictionary<string, string> { ["Datasets:MaxUploadBytes"] = MaxUploadBytes.ToString() };
}

public sealed class DatasetsApiTests(DatasetsApiHost host) : IClassFixture<DatasetsApiHost>
{
    private readonly HttpClient _client = host.CreateClient();

    [Fact]
    public async Task Uploads_under_one_name_become_numbered_versions_that_list_get_and_preview_show()
    {
        var first = "to be or not to be\nthat is the question\n\nwhether tis nobler\n";
        var second = "second edition\nwith two lines";

        var v1 = await UploadOk("hamlet", first, "hamlet.txt", description: "the play");
        var v2 = await UploadOk("hamlet", second, "hamlet.txt");

        Assert.Equal((1, 2), (v1.Version, v2.Version));
        Assert.Equal(Sha256(first), v1.Sha256);
        Assert.Equal(Encoding.UTF8.GetByteCount(first), v1.SizeBytes);
        Assert.Equal(3, v1.RowCount); // non-empty lines
        Assert.Equal(2, v2.RowCount);
        Assert.Equal("text", v1.Format);
        Assert.True(File.Exists(StoredPath(v1.Sha256)));

        var list = await ApiTestHost.ReadAsync<List<DatasetDto>>(await _client.GetAsync("/api/v1/datasets"));
        var hamlet = Assert.Single(list, d => d.Name == "hamlet");
        Assert.Equal(2, hamlet.VersionCount);
        Assert.Equal(2, hamlet.Latest!.Version);
        Assert.Equal("the play", hamlet.Description);

        var detail = await ApiTestHost.ReadAsync<DatasetDetailDto>(await _client.GetAsync("/api/v1/datasets/hamlet"));
        Assert.Equal([2, 1], detail.Versions.Select(v => v.Version));

        var version1 = await ApiTestHost.ReadAsync<DatasetVersionDto>(await _client.GetAsync("/api/v1/datasets/hamlet/versions/1"));
        Assert.Equal(v1.Sha256, version1.Sha256);

        var preview = await ApiTestHost.ReadAsync<DatasetPreviewDto>(await _client.GetAsync("/api/v1/datasets/hamlet/versions/1/preview?lines=2"));
        Assert.Equal(["to be or not to be", "that is the question"], preview.Lines);
        Assert.True(preview.HasMore);
        var whole = await ApiTestHost.ReadAsync<DatasetPreviewDto>(await _client.GetAsync("/api/v1/datasets/hamlet/versions/2/preview"));
        Assert.Equal(["second edition", "with two lines"], whole.Lines);
        Assert.False(whole.HasMore);
    }

    [Fact]
    public async Task Format_comes_from_the_field_or_the_file_name_and_csv_rows_exclude_the_header()
    {
        var csv = await UploadOk("prices-csv", "item,price\napple,1\npear,2\n", "prices.csv");
        var jsonl = await UploadOk("notes-jsonl", "{\"text\":\"a\"}\n{\"text\":\"b\"}\n", "notes.txt", format: "jsonl");

        Assert.Equal(("csv", 2L), (csv.Format, csv.RowCount!.Value));
        Assert.Equal(("jsonl", 2L), (jsonl.Format, jsonl.RowCount!.Value));

        var bad = await Upload("notes-jsonl", "x\n", "x.txt", format: "parquet");
        await AssertProblem(bad, HttpStatusCode.BadRequest, "text, jsonl, csv");
    }

    [Fact]
    public async Task Preview_cuts_long_lines_and_handles_crlf_and_a_last_line_without_newline()
    {
        var longLine = new string('x', DatasetPreviewReader.MaxLineChars + 100);
        await UploadOk("preview-edges", $"first\r\n{longLine}\nlast");

        var preview = await ApiTestHost.ReadAsync<DatasetPreviewDto>(await _client.GetAsync("/api/v1/datasets/preview-edges/versions/1/preview"));
        var two = await ApiTestHost.ReadAsync<DatasetPreviewDto>(await _client.GetAsync("/api/v1/datasets/preview-edges/versions/1/preview?lines=2"));

        Assert.Equal(["first", new string('x', DatasetPreviewReader.MaxLineChars) + "…", "last"], preview.Lines);
        Assert.False(preview.HasMore);
        Assert.Equal(2, two.Lines.Count);
        Assert.True(two.HasMore);
    }

    [Fact]
    public async Task Same_bytes_under_two_names_are_stored_once()
    {
        const string content = "identical content\n";
        var a = await UploadOk("twin-a", content);
        var b = await UploadOk("twin-b", content);

        Assert.Equal(a.Sha256, b.Sha256);
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM artifacts WHERE sha256 = $1", a.Sha256));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(StoredPath(a.Sha256))!));
    }

    [Fact]
    public async Task Too_large_is_413_naming_the_limit_and_stores_nothing()
    {
        var large = new string('a', (int)DatasetsApiHost.MaxUploadBytes + 1);

        var response = await Upload("too-large", large);

        var problem = await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge, "8,192 bytes");
        Assert.Contains("Datasets:MaxUploadBytes", problem.Detail);
        Assert.False(File.Exists(StoredPath(Sha256(large))));
        Assert.Empty(Directory.GetFiles(Path.Combine(host.ArtifactsRoot, "tmp")));
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM datasets WHERE name = 'too-large'"));
    }

    [Fact]
    public async Task Empty_file_is_400()
    {
        await AssertProblem(await Upload("empty-file", ""), HttpStatusCode.BadRequest, "empty");
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM datasets WHERE name = 'empty-file'"));
    }

    [Fact]
    public async Task Binary_content_is_400_looks_binary_for_nul_bytes_and_for_invalid_utf8()
    {
        var withNul = await Upload("binary-nul", new byte[] { (byte)'a', 0, (byte)'b', (byte)'\n' });
        var notUtf8 = await Upload("binary-latin1", new byte[] { (byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)'\n' });

        await AssertProblem(withNul, HttpStatusCode.BadRequest, "looks binary");
        await AssertProblem(notUtf8, HttpStatusCode.BadRequest, "UTF-8");
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM datasets WHERE name LIKE 'binary-%'"));
    }

    [Theory]
    [InlineData("Hamlet")]
    [InlineData("-leading-hyphen")]
    [InlineData("with space")]
    public async Task Bad_name_is_400_naming_the_rule_and_leaves_no_file(string name)
    {
        var content = $"content for {name}\n";

        var response = await Upload(name, content);

        await AssertProblem(response, HttpStatusCode.BadRequest, DatasetNames.Rule);
        Assert.False(File.Exists(StoredPath(Sha256(content))));
    }

    [Fact]
    public async Task Bad_name_sent_before_the_file_is_refused_before_the_file_is_stored()
    {
        var form = new MultipartFormDataContent();
        form.Add(new StringContent("Bad_Name"), "name");
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("name first\n")), "file", "data.txt");

        var response = await _client.PostAsync("/api/v1/datasets", form);

        await AssertProblem(response, HttpStatusCode.BadRequest, "'Bad_Name' is not a valid dataset name");
        Assert.False(File.Exists(StoredPath(Sha256("name first\n"))));
    }

    [Fact]
    public async Task Deleting_an_unused_version_removes_it_and_its_file()
    {
        var v1 = await UploadOk("deletable", "only here\n");
        await UploadOk("deletable", "kept\n");

        var response = await _client.DeleteAsync("/api/v1/datasets/deletable/versions/1");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await AssertProblem(await _client.GetAsync("/api/v1/datasets/deletable/versions/1"), HttpStatusCode.NotFound, "no version 1");
        Assert.False(File.Exists(StoredPath(v1.Sha256)));
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM artifacts WHERE sha256 = $1", v1.Sha256));
        Assert.Equal(2, (await ApiTestHost.ReadAsync<DatasetVersionDto>(await _client.GetAsync("/api/v1/datasets/deletable/versions/2"))).Version);
    }

    [Fact]
    public async Task Deleting_a_version_keeps_the_file_while_another_version_has_the_same_bytes()
    {
        var a = await UploadOk("shared-bytes-a", "shared\n");
        await UploadOk("shared-bytes-b", "shared\n");

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync("/api/v1/datasets/shared-bytes-a/versions/1")).StatusCode);

        Assert.True(File.Exists(StoredPath(a.Sha256)));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM artifacts WHERE sha256 = $1", a.Sha256));
    }

    [Fact]
    public async Task Deleting_a_version_a_run_used_is_409_and_keeps_it()
    {
        var used = await UploadOk("used-by-run", "training text\n");
        var runId = await host.ScalarAsync<Guid>("INSERT INTO runs (kind, created_by) VALUES ('PrepareDataset', 'test') RETURNING id");
        await host.ExecuteAsync(
            "INSERT INTO lineage_edges (from_kind, from_id, to_kind, to_id, relation) VALUES ('dataset_version', $1, 'run', $2, 'input')",
            used.Id.ToString(), runId.ToString());

        var response = await _client.DeleteAsync("/api/v1/datasets/used-by-run/versions/1");

        await AssertProblem(response, HttpStatusCode.Conflict, "used by a run");
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/v1/datasets/used-by-run/versions/1")).StatusCode);
        Assert.True(File.Exists(StoredPath(used.Sha256)));
    }

    [Fact]
    public async Task Deleting_a_version_a_queued_run_names_in_its_config_is_409()
    {
        var used = await UploadOk("named-by-run", "queued text\n");
        await host.ExecuteAsync(
            "INSERT INTO runs (kind, config, created_by) VALUES ('PrepareDataset', jsonb_build_object('datasetVersionId', $1::bigint), 'test')", used.Id);

        var response = await _client.DeleteAsync("/api/v1/datasets/named-by-run/versions/1");

        await AssertProblem(response, HttpStatusCode.Conflict, "used by a run");
    }

    [Fact]
    public async Task Concurrent_uploads_to_one_name_get_distinct_consecutive_versions()
    {
        var uploads = Enumerable.Range(0, 8).Select(i => Upload("raced", $"upload {i}\n"));

        var responses = await Task.WhenAll(uploads);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var versions = new List<int>();
        foreach (var response in responses) versions.Add((await ApiTestHost.ReadAsync<DatasetVersionDto>(response)).Version);
        Assert.Equal(Enumerable.Range(1, 8), versions.Order());
    }

    [Fact]
    public async Task Missing_things_are_404_and_bad_preview_sizes_400()
    {
        await UploadOk("previewed", "line\n");

        await AssertProblem(await _client.GetAsync("/api/v1/datasets/nope"), HttpStatusCode.NotFound, "no dataset named 'nope'");
        await AssertProblem(await _client.GetAsync("/api/v1/datasets/nope/versions/1"), HttpStatusCode.NotFound, "no dataset named 'nope'");
        await AssertProblem(await _client.GetAsync("/api/v1/datasets/previewed/versions/1/preview?lines=201"), HttpStatusCode.BadRequest, "between 1 and 200");
        await AssertProblem(await _client.DeleteAsync("/api/v1/datasets/previewed/versions/9"), HttpStatusCode.NotFound, "no version 9");
    }

    [Fact]
    public async Task A_request_that_is_not_multipart_is_415_naming_where_the_accepted_media_type_is_described()
    {
        var response = await _client.PostAsync("/api/v1/datasets", new StringContent("hello"));

        await AssertProblem(response, HttpStatusCode.UnsupportedMediaType, "does not accept Content-Type 'text/plain; charset=utf-8'");
    }

    private async Task<DatasetVersionDto> UploadOk(string name, string content, string fileName = "data.txt", string? format = null, string? description = null)
    {
        var response = await Upload(name, Encoding.UTF8.GetBytes(content), fileName, format, description);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        Assert.NotNull(response.Headers.Location);
        return await ApiTestHost.ReadAsync<DatasetVersionDto>(response);
    }

    private Task<HttpResponseMessage> Upload(string name, string content, string fileName = "data.txt", string? format = null) =>
        Upload(name, Encoding.UTF8.GetBytes(content), fileName, format);

    private Task<HttpResponseMessage> Upload(string name, byte[] content, string fileName = "data.txt", string? format = null, string? description = null)
    {
        // The file part first: the API must not depend on the order of the parts.
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        form.Add(new StringContent(name), "name");
        if (format is not null) form.Add(new StringContent(format), "format");
        if (description is not null) form.Add(new StringContent(description), "description");
        return _client.PostAsync("/api/v1/datasets", form);
    }

    private static async Task<Problem> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ApiTestHost.ReadAsync<Problem>(response);
        Assert.Equal((int)status, problem.Status);
        Assert.Contains(detailContains, problem.Detail);
        return problem;
    }

    private string StoredPath(string sha256) => Path.Combine(host.ArtifactsRoot, sha256[..2], sha256[2..4], sha256);

    private static string Sha256(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
}
