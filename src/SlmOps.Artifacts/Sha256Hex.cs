using System.Security.Cryptography;

namespace SlmOps.Artifacts;

/// <summary>Content addresses: lowercase hex SHA-256.</summary>
public static class Sha256Hex
{
    public static bool IsValid(string? text) => text is { Length: 64 } && text.All(Uri.IsHexDigit);

    public static string Require(string? text, string what) => IsValid(text)
        ? text!.ToLowerInvariant()
        : throw new ArgumentException($"{what} '{text}' is not a SHA-256 hex digest (64 hex characters).");

    public static string OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static async Task<string> OfFileAsync(string path, CancellationToken cancellation)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellation));
    }
}
