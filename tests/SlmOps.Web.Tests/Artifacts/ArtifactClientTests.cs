using System.Security.Cryptography;
using SlmOps.Artifacts;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Tests.Artifacts;

/// <summary>The worker's side of the artifact service (SlmOps.Artifacts.ArtifactClient) against the real web host.</summary>
public sealed class ArtifactClientTests(ArtifactsApiHost host) : IClassFixture<ArtifactsApiHost>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slmops-client-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task An_upload_stores_the_file_once_and_a_download_resumes_a_partial_file_to_the_same_bytes()
    {
        using var http = await host.CreateClientAsync(ApiKeyRole.Worker, "client-test-worker");
        var client = new ArtifactClient(http);
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        var source = Path.Combine(_dir, "source.bin");
        await File.WriteAllBytesAsync(source, bytes);

        var sha = await client.UploadAsync(source, CancellationToken.None);
        var written = File.GetLastWriteTimeUtc(host.BlobPath(sha));
        Assert.Equal(sha, await client.UploadAsync(source, CancellationToken.None)); // HEAD finds it: not sent again
        Assert.Equal(written, File.GetLastWriteTimeUtc(host.BlobPath(sha)));
        Assert.True(await client.ExistsAsync(sha, CancellationToken.None));

        // A transfer cut after 100,000 bytes: the .part file is resumed with a Range request.
        var destination = Path.Combine(_dir, "copy.bin");
        await File.WriteAllBytesAsync(destination + ".part", bytes[..100_000]);
        await client.DownloadAsync(sha, destination, CancellationToken.None);

        Assert.Equal(bytes, await File.ReadAllBytesAsync(destination));
        Assert.False(File.Exists(destination + ".part"));
    }

    [Fact]
    public async Task A_partial_file_that_is_not_a_prefix_of_the_blob_is_detected_and_the_download_starts_over()
    {
        using var http = await host.CreateClientAsync(ApiKeyRole.Worker, "client-test-worker-2");
        var client = new ArtifactClient(http);
        var bytes = RandomNumberGenerator.GetBytes(50_000);
        var source = Path.Combine(_dir, "source2.bin");
        await File.WriteAllBytesAsync(source, bytes);
        var sha = await client.UploadAsync(source, CancellationToken.None);

        var destination = Path.Combine(_dir, "copy2.bin");
        await File.WriteAllBytesAsync(destination + ".part", new byte[20_000]); // zeros: someone else's bytes
        await client.DownloadAsync(sha, destination, CancellationToken.None);

        Assert.Equal(bytes, await File.ReadAllBytesAsync(destination));
    }
}
