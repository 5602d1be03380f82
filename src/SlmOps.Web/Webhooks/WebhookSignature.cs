using System.Security.Cryptography;
using System.Text;

namespace SlmOps.Web.Webhooks;

/// <summary>X-SlmOps-Signature: <c>sha256=</c> and the lower-case hex HMAC-SHA256 of the exact body bytes, keyed with the secret.</summary>
public static class WebhookSignature
{
    public const string Header = "X-SlmOps-Signature";
    public const string DeliveryHeader = "X-SlmOps-Delivery";
    public const string EventHeader = "X-SlmOps-Event";

    public static string Sign(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Constant-time check a receiver can copy.</summary>
    public static bool Verify(string secret, byte[] body, string? header) =>
        header is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, body)), Encoding.ASCII.GetBytes(header));

    /// <summary>A random secret for a subscription created without one (32 bytes, hex).</summary>
    public static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
