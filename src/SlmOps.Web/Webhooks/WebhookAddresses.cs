using System.Net;
using System.Net.Sockets;

namespace SlmOps.Web.Webhooks;

/// <summary>
/// Which addresses a webhook may be sent to: public ones only, so that a subscription cannot make this server call into
/// its own network (server-side request forgery: the cloud metadata service at 169.254.169.254, the database, an admin
/// port on loopback). An IPv6 address that carries an IPv4 one (mapped, compatible, NAT64, 6to4) is judged by it.
/// </summary>
public static class WebhookAddresses
{
    private static readonly (IPNetwork Network, string Kind)[] NonPublic =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "private (shared carrier-grade NAT)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved (or broadcast)"),
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "private (site-local)"),
        (IPNetwork.Parse("fc00::/7"), "unique-local"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork IPv4Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>What kind of non-public address <paramref name="address"/> is ("loopback", "private", ...), or null when it is public.</summary>
    public static string? NonPublicKind(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && EmbeddedIPv4(address) is { } v4) return NonPublicKind(v4);
        foreach (var (network, kind) in NonPublic)
            if (network.Contains(address)) return kind;
        return null;
    }

    private static IPAddress? EmbeddedIPv4(IPAddress v6)
    {
        if (v6.IsIPv4MappedToIPv6) return v6.MapToIPv4();
        var bytes = v6.GetAddressBytes();
        if (Nat64.Contains(v6) || (IPv4Compatible.Contains(v6) && !v6.Equals(IPAddress.IPv6Any) && !v6.Equals(IPAddress.IPv6Loopback)))
            return new IPAddress(bytes[12..16]);
        if (SixToFour.Contains(v6)) return new IPAddress(bytes[2..6]);
        return null;
    }
}
