using System.Text;
using SlmOps.Torch.Native;
using N = SlmOps.Torch.Native.NativeMethods;

namespace SlmOps.Torch.Distributed;

/// <summary>
/// c10d's TCP key-value store, where the ranks of a group find each other (torch.distributed.TCPStore).
/// Rank 0 hosts it (<see cref="Host"/>); the other ranks <see cref="Connect"/> to its address. Every wait
/// (connecting, <see cref="Get"/>, a process group's rendezvous) gives up after the store's timeout.
/// </summary>
public sealed class TcpStore : IDisposable
{
    private TcpStore(DistributedHandle handle, string host, int port, int rank, int worldSize)
    {
        Handle = handle;
        HostName = host;
        Port = port;
        Rank = rank;
        WorldSize = worldSize;
    }

    public string HostName { get; }

    /// <summary>The port it listens on (the one the system chose when hosted on port 0).</summary>
    public int Port { get; }

    public int Rank { get; }

    public int WorldSize { get; }

    internal DistributedHandle Handle { get; }

    /// <summary>True when this native library was built with c10d (Gloo); otherwise every call says what to install.</summary>
    public static bool IsAvailable => N.SlmDistributed_available() != 0;

    /// <summary>Rank 0's store, listening on <paramref name="host"/>:<paramref name="port"/> (0 = any free port).</summary>
    public static TcpStore Host(int worldSize, TimeSpan timeout, string host = "127.0.0.1", int port = 0) =>
        Create(host, port, isServer: true, rank: 0, worldSize, timeout);

    /// <summary>Any other rank's client; retries the connection until <paramref name="timeout"/>.</summary>
    public static TcpStore Connect(string host, int port, int rank, int worldSize, TimeSpan timeout) =>
        Create(host, port, isServer: false, rank, worldSize, timeout);

    public unsafe void Set(string key, string value)
    {
        var k = Utf8(key);
        var v = Encoding.UTF8.GetBytes(value);
        fixed (byte* pk = k)
        fixed (byte* pv = v)
        {
            Call($"store set '{key}'", N.SlmStore_set(Handle, pk, pv, v.Length));
        }
    }

    /// <summary>Waits for <paramref name="key"/> (up to the store's timeout) and returns its value.</summary>
    public unsafe string Get(string key)
    {
        var k = Utf8(key);
        var buffer = new byte[256];
        while (true)
        {
            long length;
            fixed (byte* pk = k)
            fixed (byte* pb = buffer)
            {
                length = N.SlmStore_get(Handle, pk, pb, buffer.Length);
            }
            if (length < 0)
                throw Failure($"store get '{key}'");
            if (length <= buffer.Length)
                return Encoding.UTF8.GetString(buffer, 0, (int)length);
            buffer = new byte[length];
        }
    }

    public void Dispose() => Handle.Dispose();

    internal void Call(string operation, int status)
    {
        if (status != 0)
            throw Failure(operation);
    }

    internal DistributedException Failure(string operation) =>
        new(Rank, WorldSize, operation, N.LastError().Message);

    private static unsafe TcpStore Create(string host, int port, bool isServer, int rank, int worldSize, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(worldSize);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, worldSize);
        var h = Utf8(host);
        IntPtr raw;
        fixed (byte* ph = h)
        {
            raw = N.SlmStore_create_tcp(ph, port, isServer ? 1 : 0, worldSize, (long)timeout.TotalMilliseconds);
        }
        var operation = isServer ? $"host store on {host}:{port}" : $"connect to store at {host}:{port}";
        if (raw == IntPtr.Zero)
            throw new DistributedException(rank, worldSize, operation, N.LastError().Message);
        var handle = new DistributedHandle(raw, N.SlmStore_dispose);
        int actual;
        if (N.SlmStore_port(handle, &actual) != 0)
        {
            handle.Dispose();
            throw new DistributedException(rank, worldSize, operation, N.LastError().Message);
        }
        return new TcpStore(handle, host, actual, rank, worldSize);
    }

    internal static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s + "\0");
}
