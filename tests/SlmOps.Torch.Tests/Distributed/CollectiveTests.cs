using SlmOps.Torch.Distributed;

namespace SlmOps.Torch.Tests.Distributed;

// Two Gloo ranks over 127.0.0.1, one thread each: the collectives give what torch.distributed defines.
public sealed class CollectiveTests
{
    [Fact]
    public void All_reduce_sum_adds_every_ranks_tensor()
    {
        var sums = Ranks.Run(2, g =>
        {
            var t = torch.tensor(new[] { 1f, 2f, 3f }) * (g.Rank + 1);
            g.AllReduce(t, ReduceOp.Sum);
            return t.ToArray<float>();
        });

        Assert.All(sums, s => Assert.Equal(new[] { 3f, 6f, 9f }, s));
    }

    [Fact]
    public void All_reduce_average_divides_the_sum_by_the_world_size()
    {
        var means = Ranks.Run(2, g =>
        {
            var t = torch.ones(2, 2) * (g.Rank == 0 ? 1 : 4);
            g.AllReduce(t, ReduceOp.Average);
            return t.ToArray<float>();
        });

        Assert.All(means, m => Assert.Equal(new[] { 2.5f, 2.5f, 2.5f, 2.5f }, m));
    }

    [Fact]
    public void Broadcast_copies_the_roots_tensor_to_every_rank()
    {
        var received = Ranks.Run(2, g =>
        {
            var t = g.Rank == 1 ? torch.tensor(new[] { 7f, 8f }) : torch.zeros(2);
            g.Broadcast(t, root: 1);
            return t.ToArray<float>();
        });

        Assert.All(received, r => Assert.Equal(new[] { 7f, 8f }, r));
    }

    [Fact]
    public void Barrier_returns_on_every_rank_and_the_group_knows_its_place()
    {
        var seen = Ranks.Run(2, g =>
        {
            g.Barrier();
            return (g.Rank, g.WorldSize, g.Backend);
        });

        Assert.Equal([(0, 2, "gloo"), (1, 2, "gloo")], seen);
    }

    [Fact]
    public void The_store_carries_values_between_ranks()
    {
        var world = 2;
        using var host = TcpStore.Host(world, Ranks.Timeout);
        using var client = TcpStore.Connect("127.0.0.1", host.Port, 1, world, Ranks.Timeout);

        host.Set("libtorch", "1.13.1 (build a)");

        Assert.True(host.Port > 0);
        Assert.Equal("1.13.1 (build a)", client.Get("libtorch"));
    }
}
