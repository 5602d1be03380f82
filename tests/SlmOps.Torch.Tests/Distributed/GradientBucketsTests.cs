using SlmOps.Torch.Distributed;

namespace SlmOps.Torch.Tests.Distributed;

public sealed class GradientBucketsTests
{
    [Fact]
    public void Gradients_are_averaged_across_ranks_in_several_buckets_and_a_missing_gradient_stays_missing()
    {
        var grads = Ranks.Run(2, g =>
        {
            var (a, b, unused) = Parameters();
            Loss(a, b, g.Rank).backward();
            using var buckets = new GradientBuckets([a, b, unused], g, bucketBytes: 16); // 16 bytes: every tensor its own bucket

            buckets.AverageGradients();

            return (buckets.Count, buckets.Elements, A: a.grad!.ToArray<float>(), B: b.grad!.ToArray<float>(), Unused: unused.grad);
        });

        Assert.All(grads, r =>
        {
            Assert.Equal(3, r.Count);
            Assert.Equal(12, r.Elements);
            Assert.Equal(new[] { 1.5f, 1.5f, 1.5f }, r.A);
            Assert.Equal(new[] { 15f, 15f, 15f, 15f }, r.B);
            Assert.Null(r.Unused);
        });
    }

    [Fact]
    public void Buckets_whose_gradients_are_all_ready_start_their_all_reduce_during_backward_in_bucket_order()
    {
        var results = Ranks.Run(2, g =>
        {
            var (a, b, unused) = Parameters();
            var buckets = new GradientBuckets([a, b, unused], g, bucketBytes: 16); // [unused], [b], [a]
            var before = buckets.Started;

            Loss(a, b, g.Rank).backward();
            var duringBackward = buckets.Started; // [unused] never gets a gradient, and it comes first: nothing may start
            buckets.AverageGradients();
            buckets.Dispose();

            using var ordered = new GradientBuckets([unused, a, b], g, bucketBytes: 8); // [b], [a], [unused]
            a.grad = null;
            b.grad = null;
            Loss(a, b, g.Rank).backward();
            var readyFirst = ordered.Started;
            ordered.AverageGradients();
            return (before, duringBackward, readyFirst, After: ordered.Started, A: a.grad!.ToArray<float>());
        });

        Assert.All(results, r =>
        {
            Assert.Equal(0, r.before);
            Assert.Equal(0, r.duringBackward);
            Assert.Equal(2, r.readyFirst); // [b] and [a] started before AverageGradients; [unused] waits for it
            Assert.Equal(0, r.After);
            Assert.Equal(new[] { 1.5f, 1.5f, 1.5f }, r.A);
        });
    }

    [Fact]
    public void Gradients_accumulated_over_two_backward_passes_are_averaged_as_accumulated()
    {
        var grads = Ranks.Run(2, g =>
        {
            var (a, b, _) = Parameters();
            using var buckets = new GradientBuckets([a, b], g, bucketBytes: 16);
            Loss(a, b, g.Rank).backward(); // starts both buckets
            Loss(a, b, g.Rank).backward(); // changes them after they started: reduced again
            buckets.AverageGradients();
            return (A: a.grad!.ToArray<float>(), B: b.grad!.ToArray<float>());
        });

        Assert.All(grads, r =>
        {
            Assert.Equal(new[] { 3f, 3f, 3f }, r.A);
            Assert.Equal(new[] { 30f, 30f, 30f, 30f }, r.B);
        });
    }

    [Fact]
    public void A_disposed_reducer_leaves_backward_alone_and_refuses_to_average()
    {
        var results = Ranks.Run(2, g =>
        {
            var (a, b, _) = Parameters();
            var buckets = new GradientBuckets([a, b], g);
            buckets.Dispose();
            Loss(a, b, g.Rank).backward(); // no hook left to fire
            var refused = Record.Exception(buckets.AverageGradients);
            return (Refused: refused, A: a.grad!.ToArray<float>());
        });

        Assert.Equal(new[] { 1f, 1f, 1f }, results[0].A); // rank 0's own gradient, not averaged
        Assert.All(results, r => Assert.IsType<ObjectDisposedException>(r.Refused));
    }

    private static (Tensor A, Tensor B, Tensor Unused) Parameters() =>
        (torch.ones(3).requires_grad_(), torch.ones(2, 2).requires_grad_(), torch.ones(5).requires_grad_());

    // Rank r's gradients: a → r + 1, b → 10 (r + 1); averaged over 2 ranks: 1.5 and 15.
    private static Tensor Loss(Tensor a, Tensor b, int rank) => (a * (rank + 1)).sum() + (b * (10 * (rank + 1))).sum();
}
