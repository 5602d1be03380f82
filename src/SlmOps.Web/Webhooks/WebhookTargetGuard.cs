using System.Net;
using System.Net.Sockets;

namespace SlmOps.Web.Webhooks;

/// <summary>
/// Keeps webhooks to public addresses (<see cref="WebhookAddresses"/>) unless <see cref="Setting"/> allows private ones:
/// when a subscription is made (its host as written, or what the name resolves to then) and again on every connection a
/// delivery opens, where the name is resolved afresh and only a public address is connected to, so a name that
/// resolved to a public address at subscription and to 127.0.0.1 later (DNS rebinding) still reaches nothing inside.
/// </summary>
public sealed class WebhookTargetGuard(WebhookOptions options)
{
    public const string Setting = "Webhooks:AllowPrivateTargets";

    private static readonly TimeSpan SubscribeLookupTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Name resolution; replaceable so tests can play a rebinding DNS server.</summary>
    public Func<string, CancellationToken, Task<IPAddress[]>> Resolve { get; init; } = Dns.GetHostAddressesAsync;

    /// <summary>
    /// At subscription: why <paramref name="url"/> may not be a webhook target, or null. A name that does not resolve
    /// now is accepted (every delivery checks again); one that resolves to any non-public address is refused.
    /// </summary>
    public async Task<string?> RefusalAsync(Uri url, CancellationToken ct)
    {
        if (options.AllowPrivateTargets) return null;
        IPAddress[] addresses;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(SubscribeLookupTimeout);
            addresses = await AddressesAsync(url.Host, timeout.Token);
        }
        catch (Exception error) when (error is SocketException || error is OperationCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
        return addresses.Select(a => (Address: a, Kind: WebhookAddresses.NonPublicKind(a))).FirstOrDefault(a => a.Kind is not null) is { Kind: { } kind } bad
            ? $"url {Explain(url.Host, bad.Address, kind)}"
            : null;
    }

    /// <summary>
    /// The webhook client's ConnectCallback: resolves the host for this connection and connects to its first public
    /// address that answers; refuses with <see cref="WebhookTargetRefusedException"/> when it has none.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = await AddressesAsync(host, ct);
        var allowed = options.AllowPrivateTargets ? addresses : addresses.Where(a => WebhookAddresses.NonPublicKind(a) is null).ToArray();
        if (allowed.Length == 0)
        {
            var first = addresses.FirstOrDefault() ?? IPAddress.None;
            throw new WebhookTargetRefusedException($"The webhook's host {Explain(host, first, WebhookAddresses.NonPublicKind(first) ?? "non-public")}");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<IPAddress[]> AddressesAsync(string host, CancellationToken ct)
    {
        var bare = host.TrimStart('[').TrimEnd(']');
        return IPAddress.TryParse(bare, out var literal) ? [literal] : await Resolve(bare, ct);
    }

    private static string Explain(string host, IPAddress address, string kind)
    {
        var where = host.Trim('[', ']') == address.ToString() ? $"points at {address}" : $"{host} resolves to {address}";
        return $"{where}, not a public address ({kind}). Webhooks are sent to public addresses only, so that a subscription cannot reach " +
               $"into this server's own network. Use a receiver at a public address, or have an administrator set {Setting}=true " +
               $"(environment variable {Setting.Replace(":", "__", StringComparison.Ordinal)}) where private receivers are intended.";
    }
}

/// <summary>A delivery's connection refused by <see cref="WebhookTargetGuard"/>; its message names the address and the setting.</summary>
public sealed class WebhookTargetRefusedException(string message) : IOException(message);
