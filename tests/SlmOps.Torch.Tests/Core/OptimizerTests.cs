using SlmOps.Torch.Optim;

namespace SlmOps.Torch.Tests.Core;

public class OptimizerTests
{
    // f(w) = sum((w - target)^2), minimum 0 at w = target.
    private static float Loss(Tensor w, Tensor target, bool backward)
    {
        using var scope = torch.NewDisposeScope();
        var diff = w - target;
        var loss = (diff * diff).sum();
        if (backward)
        {
            loss.backward();
        }

        return loss.item<float>();
    }

    [Fact]
    public void AdamW_reduces_a_quadratic_loss()
    {
        using var w = torch.zeros([4], requires_grad: true);
        using var target = torch.tensor([1f, -2f, 3f, 0.5f]);
        using var optimizer = torch.optim.AdamW([w], lr: 0.1, weight_decay: 0);
        var initial = Loss(w, target, backward: false);

        for (var i = 0; i < 200; i++)
        {
            optimizer.zero_grad();
            Loss(w, target, backward: true);
            optimizer.step();
        }

        var final = Loss(w, target, backward: false);
        Assert.Equal(14.25f, initial, 4);
        Assert.True(final < 0.01f, $"loss went from {initial} to {final}");
        Assert.Equal(200, optimizer.StepCount);
    }

    [Fact]
    public void AdamW_first_step_moves_each_weight_by_lr_times_sign_of_gradient()
    {
        // With bias correction, step 1 is lr * g / (|g| + eps) = lr * sign(g) (weight decay shrinks first).
        using var w = torch.tensor([1f, -1f], requires_grad: true);
        using var optimizer = torch.optim.AdamW([w], lr: 0.1, weight_decay: 0.5);
        using (var scope = torch.NewDisposeScope())
        {
            (w * torch.tensor([3f, 3f])).sum().backward();
        }

        optimizer.step();

        var values = w.ToArray<float>();
        Assert.Equal(1f * 0.95f - 0.1f, values[0], 5);
        Assert.Equal(-1f * 0.95f - 0.1f, values[1], 5);
    }

    [Fact]
    public void SGD_with_momentum_reduces_a_quadratic_loss_and_plain_SGD_steps_by_lr_times_grad()
    {
        using var w = torch.zeros([4], requires_grad: true);
        using var target = torch.tensor([1f, -2f, 3f, 0.5f]);
        using var optimizer = torch.optim.SGD([w], lr: 0.05, momentum: 0.9);
        for (var i = 0; i < 200; i++)
        {
            optimizer.zero_grad();
            Loss(w, target, backward: true);
            optimizer.step();
        }

        Assert.True(Loss(w, target, backward: false) < 1e-3f);

        using var v = torch.tensor([1f, 2f], requires_grad: true);
        using var plain = torch.optim.SGD([v], lr: 0.5);
        using (torch.NewDisposeScope())
        {
            (v * v).sum().backward(); // grad = 2v = [2, 4]
        }

        plain.step();
        Assert.Equal([0f, 0f], v.ToArray<float>());
    }

    [Fact]
    public void Zero_grad_drops_gradients()
    {
        using var w = torch.ones([2], requires_grad: true);
        using var optimizer = torch.optim.SGD([w], lr: 0.1);
        using (torch.NewDisposeScope())
        {
            w.sum().backward();
            Assert.NotNull(w.grad);
        }

        optimizer.zero_grad();

        Assert.Null(w.grad);
        optimizer.step(); // parameters without gradients are skipped
        Assert.Equal([1f, 1f], w.ToArray<float>());
    }

    [Fact]
    public void Clip_grad_norm_returns_the_total_norm_and_rescales()
    {
        using var a = torch.zeros([2], requires_grad: true);
        using var b = torch.zeros([1], requires_grad: true);
        a.grad = torch.tensor([3f, 0f]);
        b.grad = torch.tensor([4f]);

        var norm = torch.nn.utils.clip_grad_norm_([a, b], max_norm: 1.0);

        Assert.Equal(5.0, norm, 4);
        Assert.Equal([0.6f, 0f], a.grad!.ToArray<float>(), new ToleranceComparer(1e-5f));
        Assert.Equal([0.8f], b.grad!.ToArray<float>(), new ToleranceComparer(1e-5f));
    }

    [Fact]
    public void Saved_state_restores_an_identical_trajectory()
    {
        using var target = torch.tensor([1f, -2f, 3f]);
        using var w1 = torch.zeros([3], requires_grad: true);
        using var opt1 = torch.optim.AdamW([w1], lr: 0.05);
        for (var i = 0; i < 5; i++)
        {
            opt1.zero_grad();
            Loss(w1, target, backward: true);
            opt1.step();
        }

        // Resume into a fresh optimizer from the saved state and weights.
        var state = opt1.SaveState();
        using var w2 = w1.detach().clone().requires_grad_();
        using var opt2 = torch.optim.AdamW([w2], lr: 0.05);
        opt2.LoadState(state);
        foreach (var t in state.Values)
        {
            t.Dispose();
        }

        for (var i = 0; i < 5; i++)
        {
            foreach (var (opt, w) in new[] { (opt1, w1), (opt2, w2) })
            {
                opt.zero_grad();
                Loss(w, target, backward: true);
                opt.step();
            }
        }

        Assert.Equal(w1.ToArray<float>(), w2.ToArray<float>());
        Assert.Equal(10, opt2.StepCount);
    }

    [Fact]
    public void Stepping_with_a_disposed_parameter_throws_instead_of_crashing()
    {
        var w = torch.zeros([2], requires_grad: true);
        using var optimizer = new SGD([w], lr: 0.1);
        w.Dispose();

        Assert.Throws<ObjectDisposedException>(() => optimizer.step());
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
