using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace SlmOps.Artifacts;

/// <summary>
/// Transfers blobs to and from the web host's artifact service (<c>/api/v1/artifacts/{sha256}</c>). Uploads skip
/// blobs the store already holds; downloads resume a partial file with an HTTP Range request and are verified by
/// sha256 before they are moved into place. The HttpClient carries the base address and the worker key.
/// </summary>
public sealed class ArtifactClient(HttpClient http) : IBlobSource
{
    public static string PathOf(string sha256) => $"/api/v1/artifacts/{sha256}";

    public async Task<bool> ExistsAsync(string sha256, CancellationToken cancellation)
    {
        using var response = await Transient.RetryAsync(
            () => http.SendAsync(new HttpRequestMessage(HttpMethod.Head, PathOf(sha256)), cancellation), Transient.Attempts, cancellation);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        await EnsureSuccessAsync(response, "HEAD", sha256, cancellation);
        return true;
    }

    /// <summary>Stores a local file (hashing it first) unless the store has it; returns its sha256.</summary>
    public async Task<string> UploadAsync(string path, CancellationToken cancellation) =>
        await UploadAsync(path, await Sha256Hex.OfFileAsync(path, cancellation), cancellation);

    /// <summary>
    /// Uploads a folder Modeling wrote: every file its manifest.json lists, under the hash the manifest records (the
    /// service recomputes it and refuses a file that changed since), then the manifest, whose sha256 is the folder's address.
    /// </summary>
    public async Task<(string ManifestSha256, IReadOnlyDictionary<string, string> Files)> UploadFolderAsync(string folder, CancellationToken cancellation)
    {
        var manifest = FolderManifest.Of(folder);
        foreach (var (relative, sha256) in manifest.Files)
            await UploadAsync(Path.Combine(folder, relative), sha256, cancellation);
        return (await UploadAsync(Path.Combine(folder, FolderManifest.FileName), cancellation), manifest.Files);
    }

    private async Task<string> UploadAsync(string path, string sha256, CancellationToken cancellation)
    {
        if (await ExistsAsync(sha256, cancellation)) return sha256;
        using var response = await Transient.RetryAsync(async () =>
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
            var content = new StreamContent(stream, 1 << 20);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.ContentLength = stream.Length;
            using var request = new HttpRequestMessage(HttpMethod.Put, PathOf(sha256)) { Content = content };
            return await http.SendAsync(request, cancellation);
        }, Transient.Attempts, cancellation);
        await EnsureSuccessAsync(response, "PUT", sha256, cancellation);
        return sha256;
    }

    /// <summary>Fetches a blob to <paramref name="destination"/>, resuming <c>destination.part</c> when one is there.</summary>
    public async Task DownloadAsync(string sha256, string destination, CancellationToken cancellation)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        var part = destination + ".part";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await DownloadOnceAsync(sha256, part, cancellation);
                var actual = await Sha256Hex.OfFileAsync(part, cancellation);
                if (actual == sha256)
                {
                    File.Move(part, destination, overwrite: true);
                    return;
                }
                File.Delete(part); // a corrupt partial file: start over
                if (attempt >= 2)
                    throw new InvalidDataException($"Artifact {sha256} arrived with sha256 {actual} twice; the store's copy may be damaged.");
            }
            catch (Exception error) when (Transient.Is(error) && attempt < Transient.Attempts && !cancellation.IsCancellationRequested)
            {
                await Task.Delay(Transient.Backoff(attempt), cancellation); // the .part file is kept and resumed
            }
        }
    }

    private async Task DownloadOnceAsync(string sha256, string part, CancellationToken cancellation)
    {
        var have = File.Exists(part) ? new FileInfo(part).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, PathOf(sha256));
        if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            File.Delete(part); // longer than the blob: not ours
            throw new HttpRequestException("The partial download was longer than the blob; restarting.", null, HttpStatusCode.ServiceUnavailable);
        }
        await EnsureSuccessAsync(response, "GET", sha256, cancellation);
        var append = response.StatusCode == HttpStatusCode.PartialContent;
        await using var target = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true);
        await using var body = await response.Content.ReadAsStreamAsync(cancellation);
        await body.CopyToAsync(target, 1 << 20, cancellation);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string verb, string sha256, CancellationToken cancellation)
    {
        if (response.IsSuccessStatusCode) return;
        var detail = await ProblemText.ReadAsync(response, cancellation);
        throw new HttpRequestException($"{verb} artifact {sha256} answered {(int)response.StatusCode}: {detail}", null, response.StatusCode);
    }
}

/// <summary>The "detail" (or "title") of an RFC 7807 answer, else the start of the body.</summary>
public static class ProblemText
{
    public static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        var text = response.Content is null ? "" : await response.Content.ReadAsStringAsync(cancellation);
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text);
            foreach (var name in new[] { "detail", "title" })
                if (document.RootElement.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } message) return message;
        }
        catch (System.Text.Json.JsonException) { }
        return text.Length > 300 ? text[..300] : text.Length == 0 ? response.ReasonPhrase ?? "" : text;
    }

    /// <summary>Reads JSON of a successful answer, or throws with the problem's text.</summary>
    public static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, string what, CancellationToken cancellation)
    {
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{what} answered {(int)response.StatusCode}: {await ReadAsync(response, cancellation)}", null, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<T>(cancellation) ?? throw new InvalidDataException($"{what} answered an empty body.");
    }
}
