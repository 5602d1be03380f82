using F = SlmOps.Torch.torch.nn.functional;

using static SlmOps.Torch.Tests.Core.HandValues;

namespace SlmOps.Torch.Tests.Core;

public class FunctionalTests
{
    [Fact]
    public void Linear_computes_x_times_w_transposed_plus_bias()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor([1f, 2f], [1, 2]);
        var w = torch.tensor([1f, 0f, 1f, 1f, 0f, 2f], [3, 2]);
        var b = torch.tensor([0.5f, 0f, -1f]);

        AssertClose([1.5f, 3, 3], F.linear(x, w, b));
        AssertClose([1, 3, 4], F.linear(x, w));
    }

    [Theory]
    [InlineData(1, 37, 5)]
    [InlineData(2, 768, 1024)]
    [InlineData(3, 29, 130)]   // a feature count that is not a multiple of the 8-wide kernel
    [InlineData(8, 64, 96)]
    [InlineData(11, 40, 70)]   // more rows than one chunk of 8
    [InlineData(16, 16, 8)]
    [InlineData(17, 16, 8)]    // beyond the few-rows kernel: BLAS again
    public void Linear_on_a_few_rows_without_grad_matches_the_matrix_product(int rows, int inFeatures, int outFeatures)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(rows);
        var x = torch.randn([rows, 1, inFeatures]);
        var w = torch.randn([outFeatures, inFeatures]);
        var b = torch.randn([outFeatures]);
        var expected = x.matmul(w.transpose(0, 1)) + b;

        using (torch.no_grad())
        {
            var withBias = F.linear(x, w, b);
            Assert.Equal([rows, 1L, outFeatures], withBias.shape);
            Assert.True((withBias - expected).abs().max().item<float>() < 1e-4f);
            Assert.True((F.linear(x, w) - (expected - b)).abs().max().item<float>() < 1e-4f);
        }
    }

    [Fact]
    public void Linear_on_a_few_rows_still_records_gradients_when_they_are_needed()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([4, 6]);
        var w = torch.randn([3, 6], requires_grad: true);

        F.linear(x, w).sum().backward();

        var expected = x.sum(0).unsqueeze(0).expand(3, 6);
        Assert.True((w.grad! - expected).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Layer_norm_normalises_the_last_dimension()
    {
        using var scope = torch.NewDisposeScope();
        // mean 2, biased variance 2/3 -> (x-2)/sqrt(2/3 + eps)
        var x = torch.tensor([1f, 2f, 3f], [1, 3]);
        var w = torch.tensor([1f, 1f, 2f]);
        var b = torch.tensor([0f, 1f, 0f]);
        var s = 1 / MathF.Sqrt(2f / 3f + 1e-5f);

        AssertClose([-s, 1, 2 * s], F.layer_norm(x, [3], w, b), 1e-4f);
        AssertClose([-s, 0, s], F.layer_norm(x, [3]), 1e-4f);
    }

    [Fact]
    public void Embedding_picks_rows()
    {
        using var scope = torch.NewDisposeScope();
        var weight = torch.tensor([0f, 0f, 1f, 1f, 2f, 2f], [3, 2]);

        var rows = F.embedding(torch.tensor([2L, 0L, 2L], [1, 3]), weight);

        Assert.Equal([1L, 3L, 2L], rows.shape);
        AssertClose([2, 2, 0, 0, 2, 2], rows);
    }

    [Fact]
    public void Cross_entropy_matches_negative_log_softmax_and_skips_ignored_targets()
    {
        using var scope = torch.NewDisposeScope();
        // Row 0: logits [0, ln3] target 1 -> -ln(0.75); row 1 is ignored.
        var logits = torch.tensor([0f, MathF.Log(3), 5f, 5f], [2, 2]);
        var target = torch.tensor([1L, -100L]);

        Assert.Equal(-MathF.Log(0.75f), F.cross_entropy(logits, target).item<float>(), 5);
        Assert.Equal(-MathF.Log(0.75f), F.cross_entropy(logits, target, reduction: "sum").item<float>(), 5);
        AssertClose([-MathF.Log(0.75f), 0], F.cross_entropy(logits, target, reduction: "none"));
        Assert.Throws<ArgumentException>(() => F.cross_entropy(logits, target, reduction: "avg"));
    }

    [Fact]
    public void Mse_loss_averages_squared_differences()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor([1f, 2f, 3f]);
        var b = torch.tensor([1f, 4f, 0f]);

        Assert.Equal(13f / 3f, F.mse_loss(a, b).item<float>(), 5);
    }

    [Fact]
    public void Dropout_is_identity_in_eval_and_scales_survivors_in_training()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(1000);

        AssertClose(Enumerable.Repeat(1f, 1000).ToArray(), F.dropout(x, 0.5, training: false));
        var kept = F.dropout(x, 0.5, training: true).ToArray<float>();
        Assert.All(kept, v => Assert.True(v == 0f || v == 2f));
        Assert.InRange(kept.Count(v => v == 2f), 400, 600);
    }

    [Fact]
    public void Causal_attention_lets_the_first_position_see_only_itself()
    {
        using var scope = torch.NewDisposeScope();
        var q = torch.randn([1, 2, 4, 8]);
        var k = torch.randn([1, 2, 4, 8]);
        var v = torch.randn([1, 2, 4, 8]);

        var causal = F.scaled_dot_product_attention(q, k, v, is_causal: true);
        var boolMask = torch.ones([4, 4], ScalarType.Bool).tril();
        var masked = F.scaled_dot_product_attention(q, k, v, attn_mask: boolMask);

        // Position 0 attends only to key 0, so its output is exactly v[..., 0, :].
        AssertClose(v.slice(2, 0, 1).contiguous().ToArray<float>(), causal.slice(2, 0, 1).contiguous());
        AssertClose(causal.ToArray<float>(), masked);
        // Without a mask, every output row is a convex mix of v rows: check one row by hand.
        var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(8);
        var expected = scores.softmax(-1).matmul(v);
        AssertClose(expected.ToArray<float>(), F.scaled_dot_product_attention(q, k, v), 1e-5f);
    }
}
