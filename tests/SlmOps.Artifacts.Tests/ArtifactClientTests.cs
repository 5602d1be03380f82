using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace SlmOps.Artifacts.Tests;

/// <summary>
/// Issue 17 chaos soak: an evaluate run failed with "Connection refused" because its input download gave up after
/// about 2 s while the web host restarted. A download now waits out a web host that is away for several seconds.
/// </summary>
public sealed class ArtifactClientTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"slmops-client-test-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_download_waits_out_a_web_host_that_refuses_connections_for_five_seconds()
    {
        var bytes = Encoding.UTF8.GetBytes("the prepared dataset's manifest");
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var host = new RestartingHost(TimeSpan.FromSeconds(5), bytes);
        var client = new ArtifactClient(new HttpClient(host) { BaseAddress = new Uri("http://web-host.test") });
        var destination = Path.Combine(_root, "blob");

        await client.DownloadAsync(sha, destination, CancellationToken.None);

        Assert.Equal(bytes, await File.ReadAllBytesAsync(destination));
        Assert.True(host.Refused >= 3, $"the host refused only {host.Refused} tries: the test did not exercise the wait");
    }

    /// <summary>Refuses every connection (as a stopped Kestrel does) until <c>away</c> has passed, then serves the blob.</summary>
    private sealed class RestartingHost(TimeSpan away, byte[] blob) : HttpMessageHandler
    {
        private readonly Stopwatch _since = Stopwatch.StartNew();
        public int Refused { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (_since.Elapsed < away)
            {
                Refused++;
                throw new HttpRequestException("Connection refused (web-host.test:80)", new System.Net.Sockets.SocketException(111));
            }
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(blob) });
        }
    }
}
