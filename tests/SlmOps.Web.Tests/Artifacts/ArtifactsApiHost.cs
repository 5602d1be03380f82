using System.Net.Http.Headers;
using System.Security.Cryptography;
using SlmOps.Web.Tests.Apis;

namespace SlmOps.Web.Tests.Artifacts;

/// <summary>The web app with a small upload limit, so the 413 path is cheap to reach.</summary>
public sealed class ArtifactsApiHost : ApiTestHost
{
    public const long MaxUploadBytes = 1024 * 1024;

    protected override IReadOnlyDictionary<string, string> Settings =>
        new Dictionary<string, string> { ["Artifacts:MaxUploadBytes"] = MaxUploadBytes.ToString() };

    public string BlobPath(string sha256) => Path.Combine(ArtifactsRoot, sha256[..2], sha256[2..4], sha256);

    public string[] TempFiles() => Directory.GetFiles(Path.Combine(ArtifactsRoot, "tmp"));

    public static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static ByteArrayContent Body(byte[] bytes, string? contentType = null)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }
}
