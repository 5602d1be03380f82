namespace SlmOps.Torch.Tests.Core;

public class AutogradTests
{
    [Fact]
    public void Backward_accumulates_hand_computed_gradients()
    {
        using var scope = torch.NewDisposeScope();
        // y = sum(x^2 * w) -> dy/dx = 2 x w, dy/dw = x^2
        var x = torch.tensor([1f, 2f, 3f], requires_grad: true);
        var w = torch.tensor([0.5f, -1f, 2f], requires_grad: true);

        (x.pow(2) * w).sum().backward();

        Assert.Equal([1f, -4f, 12f], x.grad!.ToArray<float>());
        Assert.Equal([1f, 4f, 9f], w.grad!.ToArray<float>());

        // A second backward adds to the stored gradients.
        (x * 1).sum().backward();
        Assert.Equal([2f, -3f, 13f], x.grad!.ToArray<float>());
    }

    [Fact]
    public void Matmul_gradient_matches_the_closed_form()
    {
        using var scope = torch.NewDisposeScope();
        // L = sum(A @ B) -> dL/dA = 1 @ B^T (row sums of B broadcast), dL/dB = A^T @ 1
        var a = torch.tensor([1f, 2f, 3f, 4f], [2, 2], requires_grad: true);
        var b = torch.tensor([5f, 6f, 7f, 8f], [2, 2], requires_grad: true);

        a.matmul(b).sum().backward();

        Assert.Equal([11f, 15f, 11f, 15f], a.grad!.ToArray<float>());
        Assert.Equal([4f, 4f, 6f, 6f], b.grad!.ToArray<float>());
    }

    [Fact]
    public void Backward_with_explicit_gradient_weights_the_outputs()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor([1f, 2f], requires_grad: true);

        (x * 3).backward(torch.tensor([1f, 10f]));

        Assert.Equal([3f, 30f], x.grad!.ToArray<float>());
    }

    [Fact]
    public void Leaf_and_requires_grad_flags_follow_pytorch()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2).requires_grad_();
        var y = x * 2;

        Assert.True(x.is_leaf);
        Assert.True(x.requires_grad);
        Assert.False(y.is_leaf);
        Assert.True(y.requires_grad);
        Assert.False(y.detach().requires_grad);
        Assert.Null(x.grad);
    }

    [Fact]
    public void No_grad_stops_recording_on_this_thread_and_restores_the_previous_mode()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones([2], requires_grad: true);

        Assert.True(torch.is_grad_enabled());
        using (torch.no_grad())
        {
            Assert.False(torch.is_grad_enabled());
            Assert.False((x * 2).requires_grad);
            using (torch.enable_grad())
            {
                Assert.True((x * 2).requires_grad);
            }

            Assert.False(torch.is_grad_enabled());
        }

        Assert.True(torch.is_grad_enabled());
        Assert.True((x * 2).requires_grad);
    }

    [Fact]
    public void Grad_can_be_replaced_and_cleared()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones([2], requires_grad: true);

        x.grad = torch.tensor([5f, 6f]);
        Assert.Equal([5f, 6f], x.grad!.ToArray<float>());
        x.grad = null;
        Assert.Null(x.grad);
    }
}
