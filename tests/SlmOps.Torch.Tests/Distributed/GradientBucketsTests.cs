using SlmOps.Torch.Distributed;

namespace SlmOps.Torch.Tests.Distributed;

public sealed class GradientBucketsTests
{
    [Fact]
    public void Gradients_are_averaged_across_ranks_in_several_buckets_and_a_missing_gradient_stays_missing()
    {
        var grads = Ranks.Run(2, g =>
        {
            var a = torch.ones(3).requires_grad_();
            var b = torch.ones(2, 2).requires_grad_();
            var unused = torch.ones(5).requires_grad_();
            var loss = (a * (g.Rank + 1)).sum() + (b * (10 * (g.Rank + 1))).sum();
            loss.backward();
            var buckets = new GradientBuckets([a, b, unused], g, bucketBytes: 16); // 16 bytes: every tensor its own bucket

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
}
