using F = SlmOps.Torch.torch.nn.functional;

namespace SlmOps.Torch.Tests.Core;

// Failures inside libtorch must come back as exceptions with libtorch's message, never crash.
public class ErrorTests
{
    [Fact]
    public void Matmul_shape_mismatch_names_both_shapes()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.zeros(2, 3);
        var b = torch.zeros(4, 5);

        var error = Assert.Throws<TorchException>(() => a.matmul(b));

        Assert.Contains("2x3", error.Message);
        Assert.Contains("4x5", error.Message);
        Assert.DoesNotContain("frame #", error.Message);
        Assert.DoesNotContain("Exception raised from", error.Message);
    }

    [Fact]
    public void Broadcast_mismatch_reports_the_sizes()
    {
        using var scope = torch.NewDisposeScope();

        var error = Assert.Throws<TorchException>(() => torch.zeros(3) + torch.zeros(4));

        Assert.Contains("(3)", error.Message);
        Assert.Contains("(4)", error.Message);
    }

    [Fact]
    public void Embedding_with_float_indices_says_which_dtype_it_needs()
    {
        using var scope = torch.NewDisposeScope();
        var weight = torch.randn([10, 4]);
        var indices = torch.tensor([1f, 2f]);

        var error = Assert.Throws<TorchException>(() => F.embedding(indices, weight));

        Assert.Contains("Long", error.Message);
        Assert.Contains("Float", error.Message);
    }

    [Fact]
    public void Cross_entropy_with_float_targets_says_it_needs_int64_class_indices()
    {
        using var scope = torch.NewDisposeScope();
        var logits = torch.randn([3, 5]);
        var target = torch.tensor([1f, 0f, 4f]);

        var error = Assert.Throws<TorchException>(() => F.cross_entropy(logits, target));

        Assert.Contains("dtype Long", error.Message);
        Assert.Contains("Float", error.Message);
    }

    [Fact]
    public void Asking_for_cuda_without_it_says_cuda_is_not_available()
    {
        if (torch.cuda.is_available())
        {
            // On a GPU machine the same check guards device indexes that do not exist.
            var missing = Assert.Throws<TorchException>(() => torch.zeros([2], device: Device.CUDA(torch.cuda.device_count())));
            Assert.Contains("does not exist", missing.Message);
            return;
        }

        var create = Assert.Throws<TorchException>(() => torch.zeros([2], device: Device.CUDA()));
        using var cpu = torch.ones(2);
        var move = Assert.Throws<TorchException>(() => cpu.to(Device.Parse("cuda:1")));
        var autocast = Assert.Throws<TorchException>(() => torch.autocast(Device.CUDA()));
        var memory = Assert.Throws<TorchException>(() => torch.cuda.memory_allocated());

        foreach (var error in new[] { create, move, autocast, memory })
        {
            Assert.Contains("CUDA is not available", error.Message);
        }

        Assert.Equal(0, torch.cuda.device_count());
    }

    [Fact]
    public void Backward_on_a_non_scalar_without_gradient_is_an_error()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones([3], requires_grad: true);

        var error = Assert.Throws<TorchException>(() => (x * 2).backward());

        Assert.Contains("scalar", error.Message);
    }

    [Fact]
    public void The_process_keeps_working_after_many_native_errors()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.zeros(2, 3);
        for (var i = 0; i < 100; i++)
        {
            Assert.Throws<TorchException>(() => a.view(7));
        }

        Assert.Equal(0f, a.sum().item<float>());
    }
}
