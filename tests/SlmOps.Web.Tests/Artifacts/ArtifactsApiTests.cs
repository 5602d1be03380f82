using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SlmOps.Web.Artifacts;
using SlmOps.Web.Tests.Apis;
using static SlmOps.Web.Tests.Artifacts.ArtifactsApiHost;

namespace SlmOps.Web.Tests.Artifacts;

public sealed class ArtifactsApiTests(ArtifactsApiHost host) : IClassFixture<ArtifactsApiHost>
{
    private readonly HttpClient _admin = host.CreateClient();

    [Fact]
    public async Task Put_then_head_then_get_round_trips_the_bytes_and_records_the_artifact()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        var sha = Sha256Of(bytes);

        var put = await _admin.PutAsync($"/api/v1/artifacts/{sha}", Body(bytes, "application/x-safetensors"));

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal($"/api/v1/artifacts/{sha}", put.Headers.Location?.ToString());
        Assert.Equal(new ArtifactDto(sha, bytes.Length, true), await ApiTestHost.ReadAsync<ArtifactDto>(put));
        Assert.Equal($"{bytes.Length}|application/x-safetensors|{Path.Combine(sha[..2], sha[2..4], sha)}", await host.ScalarAsync<string>(
            "SELECT size_bytes || '|' || media_type || '|' || uri FROM artifacts WHERE sha256 = $1", sha));

        using var head = await _admin.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/v1/artifacts/{sha}"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(bytes.Length, head.Content.Headers.ContentLength);
        Assert.Equal($"\"{sha}\"", head.Headers.ETag?.Tag);

        var get = await _admin.GetAsync($"/api/v1/artifacts/{sha}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("application/octet-stream", get.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"\"{sha}\"", get.Headers.ETag?.Tag);
        Assert.Equal(bytes, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_range_request_gets_206_and_exactly_the_tail_so_a_download_resumes()
    {
        var bytes = RandomNumberGenerator.GetBytes(5_000);
        var sha = Sha256Of(bytes);
        Assert.Equal(HttpStatusCode.Created, (await _admin.PutAsync($"/api/v1/artifacts/{sha}", Body(bytes))).StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/artifacts/{sha}") { Headers = { Range = new RangeHeaderValue(100, null) } };
        var tail = await _admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        Assert.Equal($"bytes 100-{bytes.Length - 1}/{bytes.Length}", tail.Content.Headers.ContentRange?.ToString());
        Assert.Equal(bytes[100..], await tail.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/octet-stream", await host.ScalarAsync<string>("SELECT media_type FROM artifacts WHERE sha256 = $1", sha));
    }

    [Fact]
    public async Task Bytes_that_do_not_match_the_hash_in_the_url_get_400_naming_both_hashes_and_nothing_is_stored()
    {
        var bytes = RandomNumberGenerator.GetBytes(10_000);
        var named = Sha256Of([1, 2, 3]);

        var put = await _admin.PutAsync($"/api/v1/artifacts/{named}", Body(bytes));

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var problem = (await put.Content.ReadFromJsonAsync<Problem>())!;
        Assert.Contains(named, problem.Detail);
        Assert.Contains(Sha256Of(bytes), problem.Detail);
        Assert.False(File.Exists(host.BlobPath(named)));
        Assert.False(File.Exists(host.BlobPath(Sha256Of(bytes))));
        Assert.Empty(host.TempFiles());
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM artifacts WHERE sha256 IN ($1, $2)", named, Sha256Of(bytes)));
    }

    [Fact]
    public async Task An_existing_blob_is_not_rewritten_and_a_wrong_upload_never_removes_it()
    {
        var bytes = RandomNumberGenerator.GetBytes(20_000);
        var sha = Sha256Of(bytes);
        Assert.Equal(HttpStatusCode.Created, (await _admin.PutAsync($"/api/v1/artifacts/{sha}", Body(bytes))).StatusCode);
        var written = File.GetLastWriteTimeUtc(host.BlobPath(sha));
        await Task.Delay(20);

        var again = await _admin.PutAsync($"/api/v1/artifacts/{sha.ToUpperInvariant()}", Body(bytes));
        var mislabelled = await _admin.PutAsync($"/api/v1/artifacts/{Sha256Of([9])}", Body(bytes));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(new ArtifactDto(sha, bytes.Length, false), await ApiTestHost.ReadAsync<ArtifactDto>(again));
        Assert.Equal(HttpStatusCode.BadRequest, mislabelled.StatusCode);
        Assert.Equal(written, File.GetLastWriteTimeUtc(host.BlobPath(sha)));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(host.BlobPath(sha)));
        Assert.Empty(host.TempFiles());
    }

    [Fact]
    public async Task An_upload_over_the_limit_gets_413_naming_the_limit_whether_or_not_it_declares_its_length()
    {
        var bytes = new byte[MaxUploadBytes + 1];
        var sha = Sha256Of(bytes);

        var declared = await _admin.PutAsync($"/api/v1/artifacts/{sha}", Body(bytes));
        var chunked = await _admin.PutAsync($"/api/v1/artifacts/{sha}", new StreamContent(new UnseekableStream(bytes)));

        foreach (var response in new[] { declared, chunked })
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Contains(ArtifactOptions.MaxUploadBytesSetting, problem.RootElement.GetProperty("detail").GetString());
            Assert.Equal(MaxUploadBytes, problem.RootElement.GetProperty("limitBytes").GetInt64());
        }
        Assert.False(File.Exists(host.BlobPath(sha)));
        Assert.Empty(host.TempFiles());
    }

    [Fact]
    public async Task A_body_that_breaks_off_leaves_no_blob_and_no_temporary_file()
    {
        var bytes = RandomNumberGenerator.GetBytes(200_000);

        await Assert.ThrowsAnyAsync<Exception>(() => _admin.PutAsync($"/api/v1/artifacts/{Sha256Of(bytes)}", new BrokenContent(bytes[..100_000])));

        for (var i = 0; i < 50 && host.TempFiles().Length > 0; i++) await Task.Delay(100);
        Assert.Empty(host.TempFiles());
        Assert.False(File.Exists(host.BlobPath(Sha256Of(bytes))));
    }

    [Fact]
    public async Task A_name_that_is_not_a_sha256_gets_400_and_an_unknown_hash_404()
    {
        var bad = await _admin.GetAsync("/api/v1/artifacts/not-a-hash");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("64 hex digits", (await bad.Content.ReadFromJsonAsync<Problem>())!.Detail);
        Assert.Equal(HttpStatusCode.BadRequest, (await _admin.PutAsync($"/api/v1/artifacts/{new string('g', 64)}", Body([1]))).StatusCode);

        var unknown = Sha256Of(RandomNumberGenerator.GetBytes(16));
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"/api/v1/artifacts/{unknown}")).StatusCode);
        using var head = await _admin.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/v1/artifacts/{unknown}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task A_viewer_key_may_read_but_not_upload()
    {
        var bytes = RandomNumberGenerator.GetBytes(1_000);
        var sha = Sha256Of(bytes);
        using var viewer = await host.CreateClientAsync(Data.Entities.ApiKeyRole.Viewer, "artifact-reader");

        var refused = await viewer.PutAsync($"/api/v1/artifacts/{sha}", Body(bytes));
        Assert.Equal(HttpStatusCode.Created, (await _admin.PutAsync($"/api/v1/artifacts/{sha}", Body(bytes))).StatusCode);
        var read = await viewer.GetAsync($"/api/v1/artifacts/{sha}");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("needs the editor role (or higher) or a worker key", (await refused.Content.ReadFromJsonAsync<Problem>())!.Detail);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(bytes, await read.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public void The_upload_lifts_kestrels_own_body_limit_so_only_the_configured_one_applies()
    {
        var put = host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == nameof(ArtifactsApi.PutArtifact));

        var limit = put.Metadata.GetMetadata<IRequestSizeLimitMetadata>();

        Assert.NotNull(limit);
        Assert.Null(limit.MaxRequestBodySize);
    }

    /// <summary>A body of unknown length, so the client sends it chunked and only the server's count can stop it.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    /// <summary>A client that goes away halfway through its body.</summary>
    private sealed class BrokenContent(byte[] head) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(head);
            await stream.FlushAsync();
            throw new IOException("The client went away.");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
