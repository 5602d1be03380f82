using F = SlmOps.Torch.torch.nn.functional;

namespace SlmOps.Torch.Tests.Core;

// Gradients of the training-critical functions against their closed forms.
public class FunctionalGradientTests
{
    private static void AssertClose(float[] expected, float[] actual, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    [Fact]
    public void Cross_entropy_gradient_is_softmax_minus_one_hot_over_the_counted_rows()
    {
        using var scope = torch.NewDisposeScope();
        // Row 0: softmax([0, ln3]) = [0.25, 0.75], target 1 -> [0.25, -0.25]; row 1 ignored -> 0.
        var logits = torch.tensor([0f, MathF.Log(3), 1f, 2f], [2, 2], requires_grad: true);
        var target = torch.tensor([1L, -100L]);

        F.cross_entropy(logits, target).backward();

        AssertClose([0.25f, -0.25f, 0f, 0f], logits.grad!.ToArray<float>());
    }

    [Fact]
    public void Linear_gradients_are_outer_products()
    {
        using var scope = torch.NewDisposeScope();
        // L = sum(x W^T + b): dW[j,k] = sum_i x[i,k], db[j] = rows, dx[i,k] = sum_j W[j,k]
        var x = torch.tensor([1f, 2f, 3f, 4f], [2, 2], requires_grad: true);
        var w = torch.tensor([1f, -1f, 0.5f, 2f, 0f, 1f], [3, 2], requires_grad: true);
        var b = torch.zeros([3], requires_grad: true);

        F.linear(x, w, b).sum().backward();

        AssertClose([4, 6, 4, 6, 4, 6], w.grad!.ToArray<float>());
        AssertClose([2, 2, 2], b.grad!.ToArray<float>());
        AssertClose([1.5f, 2, 1.5f, 2], x.grad!.ToArray<float>());
    }

    [Fact]
    public void Layer_norm_output_is_invariant_to_shifting_the_input_so_its_gradient_sums_to_zero()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor([0.3f, -1.2f, 2.0f, 0.7f], [1, 4], requires_grad: true);
        var weights = torch.tensor([1f, 2f, 3f, 4f], [1, 4]);

        (F.layer_norm(x, [4]) * weights).sum().backward();

        var grad = x.grad!.ToArray<float>();
        Assert.Equal(0f, grad.Sum(), 4);
        Assert.Contains(grad, g => Math.Abs(g) > 1e-3f);
    }

    [Fact]
    public void Embedding_gradient_accumulates_per_looked_up_row()
    {
        using var scope = torch.NewDisposeScope();
        var weight = torch.zeros([3, 2], requires_grad: true);

        F.embedding(torch.tensor([2L, 0L, 2L]), weight).sum().backward();

        AssertClose([1, 1, 0, 0, 2, 2], weight.grad!.ToArray<float>());
    }

    [Fact]
    public void Attention_gradient_reaches_query_key_and_value()
    {
        using var scope = torch.NewDisposeScope();
        var q = torch.randn([1, 1, 3, 4], requires_grad: true);
        var k = torch.randn([1, 1, 3, 4], requires_grad: true);
        var v = torch.randn([1, 1, 3, 4], requires_grad: true);

        F.scaled_dot_product_attention(q, k, v, is_causal: true).sum().backward();

        // d(sum out)/dv[j] = sum over queries of their attention weight on key j: column sums of the causal softmax.
        var weights = q.detach().matmul(k.detach().transpose(-2, -1)).div(2.0)
            .masked_fill(torch.ones([3, 3], ScalarType.Bool).triu(1), double.NegativeInfinity).softmax(-1);
        var columnSums = weights.sum(-2).ToArray<float>();
        var vGrad = v.grad!.reshape(3, 4).ToArray<float>();
        for (var j = 0; j < 3; j++)
        {
            for (var d = 0; d < 4; d++)
            {
                Assert.Equal(columnSums[j], vGrad[(j * 4) + d], 5);
            }
        }

        // The first query attends only to key 0, so its gradient is zero; later ones are not.
        Assert.All(q.grad!.reshape(3, 4).slice(0, 0, 1).ToArray<float>(), g => Assert.Equal(0f, g, 6));
        Assert.Contains(k.grad!.ToArray<float>(), g => Math.Abs(g) > 1e-6f);
    }
}
