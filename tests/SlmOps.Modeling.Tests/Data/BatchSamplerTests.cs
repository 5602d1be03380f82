using SlmOps.Modeling.Data;

namespace SlmOps.Modeling.Tests.Data;

public class BatchSamplerTests
{
    private static readonly int[] Ramp = Enumerable.Range(0, 1000).ToArray();

    [Fact]
    public void Targets_are_the_inputs_shifted_by_one()
    {
        var batch = new BatchSampler(Ramp, batchSize: 4, blockSize: 16, seed: 1).Next();
        Assert.Equal(4 * 16, batch.X.Length);
        for (var b = 0; b < 4; b++)
            for (var t = 0; t < 16; t++)
            {
                var i = b * 16 + t;
                Assert.Equal(batch.X[i] + 1, batch.Y[i]);
                if (t > 0) Assert.Equal(batch.X[i - 1] + 1, batch.X[i]); // contiguous block
            }
    }

    [Fact]
    public void Same_seed_gives_same_batches_and_different_seeds_differ()
    {
        var a = new BatchSampler(Ramp, 2, 8, seed: 7);
        var b = new BatchSampler(Ramp, 2, 8, seed: 7);
        var c = new BatchSampler(Ramp, 2, 8, seed: 8);
        var fromA = Enumerable.Range(0, 5).SelectMany(_ => a.Next().X).ToArray();
        Assert.Equal(fromA, Enumerable.Range(0, 5).SelectMany(_ => b.Next().X));
        Assert.NotEqual(fromA, Enumerable.Range(0, 5).SelectMany(_ => c.Next().X));
    }

    [Fact]
    public void Restored_state_continues_the_same_sequence()
    {
        var uninterrupted = new BatchSampler(Ramp, 3, 5, seed: 42);
        var resumed = new BatchSampler(Ramp, 3, 5, seed: 42);
        for (var i = 0; i < 4; i++) { uninterrupted.Next(); resumed.Next(); }
        var saved = resumed.State;
        Assert.Equal(4, saved.BatchesDrawn);

        var restarted = new BatchSampler(Ramp, 3, 5, seed: 999);
        restarted.Restore(saved);
        for (var i = 0; i < 6; i++) Assert.Equal(uninterrupted.Next().X, restarted.Next().X);
        Assert.Equal(10, restarted.BatchesDrawn);
    }

    [Fact]
    public void Every_start_offset_is_reachable_including_the_last()
    {
        var tokens = Enumerable.Range(0, 12).ToArray(); // block 10 -> starts 0 and 1 only
        var sampler = new BatchSampler(tokens, 1, 10, seed: 3);
        var starts = Enumerable.Range(0, 200).Select(_ => sampler.Next().X[0]).ToHashSet();
        Assert.Equal([0L, 1L], starts.Order());
    }

    [Fact]
    public void Sequential_batches_cover_the_data_once_in_order()
    {
        var tokens = Enumerable.Range(0, 23).ToArray(); // 22 targets -> 5 blocks of 4
        var batches = BatchSampler.Sequential(tokens, batchSize: 2, blockSize: 4).ToList();
        Assert.Equal([2, 2, 1], batches.Select(b => b.BatchSize));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), batches.SelectMany(b => b.X));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), batches.SelectMany(b => b.Y));
    }
}

public class ShardedBatchSamplerTests
{
    private static readonly int[] Ramp = Enumerable.Range(0, 1000).ToArray();

    [Fact]
    public void The_ranks_shards_together_are_the_whole_batch_in_rank_order_every_step()
    {
        var whole = new BatchSampler(Ramp, batchSize: 6, blockSize: 5, seed: 9);
        var ranks = Enumerable.Range(0, 3).Select(r => new BatchSampler(Ramp, 2, 5, seed: 9, new DataShard(r, 3))).ToList();
        for (var step = 0; step < 4; step++)
        {
            var expected = whole.Next();
            var shards = ranks.Select(s => s.Next()).ToList();
            Assert.Equal(expected.X, shards.SelectMany(b => b.X));
            Assert.Equal(expected.Y, shards.SelectMany(b => b.Y));
        }
        Assert.All(ranks, s => Assert.Equal(whole.State, s.State)); // one checkpointed state resumes every rank
    }

    [Fact]
    public void A_rank_outside_the_world_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchSampler(Ramp, 2, 5, seed: 1, new DataShard(2, 2)));
}
