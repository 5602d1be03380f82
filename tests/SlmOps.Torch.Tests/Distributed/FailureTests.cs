using SlmOps.Torch.Distributed;

namespace SlmOps.Torch.Tests.Distributed;

// Whatever goes wrong between ranks comes back as a .NET exception naming the rank and the operation; never a hang
// past the timeout, never a crash.
public sealed class FailureTests
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(2);

    [Fact]
    public void A_peer_that_never_joins_fails_the_group_formation_after_the_timeout()
    {
        using var host = TcpStore.Host(worldSize: 2, Short);

        var error = Assert.Throws<DistributedException>(() => ProcessGroup.Gloo(host, rank: 0, worldSize: 2, Short));

        Assert.Equal(0, error.Rank);
        Assert.Equal(2, error.WorldSize);
        Assert.Contains("init_process_group (gloo)", error.Message);
    }

    [Fact]
    public void A_peer_that_never_calls_the_collective_times_it_out_on_the_rank_that_did()
    {
        using var host = TcpStore.Host(worldSize: 2, Ranks.Timeout);
        using var rank0Done = new ManualResetEventSlim();
        var peer = Ranks.Start(() =>
        {
            using var store = TcpStore.Connect("127.0.0.1", host.Port, 1, 2, Ranks.Timeout);
            using var group = ProcessGroup.Gloo(store, 1, 2, Short);
            rank0Done.Wait(); // joined, but never reaches the all-reduce
        });
        DistributedException? error;
        using (var group = ProcessGroup.Gloo(host, 0, 2, Short))
        using (var t = torch.ones(3))
        {
            error = Assert.Throws<DistributedException>(() => group.AllReduce(t));
        }
        rank0Done.Set();
        Ranks.Join([peer]);

        Assert.Equal(0, error.Rank);
        Assert.Equal("all_reduce (gloo)", error.Operation);
        Assert.Contains("rank 0 of 2: all_reduce (gloo) failed", error.Message);
    }

    [Fact]
    public void Connecting_to_a_store_nobody_hosts_fails_after_the_timeout_naming_the_address()
    {
        var port = UnusedPort();

        var error = Assert.Throws<DistributedException>(() => TcpStore.Connect("127.0.0.1", port, rank: 1, worldSize: 2, Short));

        Assert.Equal(1, error.Rank);
        Assert.Contains($"connect to store at 127.0.0.1:{port}", error.Message);
    }

    [Fact]
    public void A_disposed_group_or_store_or_tensor_throws_ObjectDisposedException()
    {
        var store = TcpStore.Host(worldSize: 1, Short);
        var group = ProcessGroup.Gloo(store, 0, 1, Short);
        using var live = torch.ones(2);
        var dead = torch.ones(2);
        dead.Dispose();

        Assert.Throws<ObjectDisposedException>(() => group.AllReduce(dead));
        group.Dispose();
        store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => group.AllReduce(live));
        Assert.Throws<ObjectDisposedException>(() => group.Broadcast(live));
        Assert.Throws<ObjectDisposedException>(group.Barrier);
        Assert.Throws<ObjectDisposedException>(() => store.Set("k", "v"));
        Assert.Throws<ObjectDisposedException>(() => ProcessGroup.Gloo(store, 0, 1, Short));
        group.Dispose(); // twice is harmless
    }

    [Fact]
    public void Ranks_outside_the_world_are_refused_before_any_native_call()
    {
        using var store = TcpStore.Host(worldSize: 1, Short);
        using var group = ProcessGroup.Gloo(store, 0, 1, Short);
        using var t = torch.ones(1);

        Assert.Throws<ArgumentOutOfRangeException>(() => ProcessGroup.Gloo(store, rank: 1, worldSize: 1, Short));
        Assert.Throws<ArgumentOutOfRangeException>(() => TcpStore.Host(worldSize: 0, Short));
        Assert.Throws<ArgumentOutOfRangeException>(() => group.Broadcast(t, root: 1));
    }

    [Fact]
    public void A_strided_view_is_refused_rather_than_reduced_as_the_wrong_elements()
    {
        using var store = TcpStore.Host(worldSize: 1, Short);
        using var group = ProcessGroup.Gloo(store, 0, 1, Short);
        using var strided = torch.ones(4, 4).transpose(0, 1);

        var error = Assert.Throws<DistributedException>(() => group.AllReduce(strided, ReduceOp.Sum));

        Assert.Equal("all_reduce (gloo)", error.Operation);
        Assert.Contains("contiguous", error.Reason);
    }

    [Fact]
    public void Nccl_without_a_cuda_libtorch_says_it_is_not_available()
    {
        Assert.False(ProcessGroup.NcclAvailable); // this test suite runs against Debian's CPU libtorch
        using var store = TcpStore.Host(worldSize: 1, Short);

        var error = Assert.Throws<DistributedException>(() => ProcessGroup.Nccl(store, 0, 1, Short));

        Assert.Contains("NCCL is not available", error.Message);
        Assert.Contains("init_process_group (nccl)", error.Message);
    }

    /// <summary>A port nobody listens on any more: the one a store had before it was disposed.</summary>
    private static int UnusedPort()
    {
        using var gone = TcpStore.Host(worldSize: 1, Short);
        return gone.Port;
    }
}
