namespace SlmOps.Torch.Tests.Core;

[CollectionDefinition(nameof(GlobalTorchState), DisableParallelization = true)]
public sealed class GlobalTorchState
{
}

// Seeds, generator state and thread counts are process-wide, so these tests never run alongside others.
[Collection(nameof(GlobalTorchState))]
public class GlobalStateTests
{
    [Fact]
    public void Manual_seed_makes_random_tensors_repeat()
    {
        torch.manual_seed(1234);
        using var a = torch.randn([8]);
        torch.manual_seed(1234);
        using var b = torch.randn([8]);
        using var c = torch.randn([8]);

        Assert.Equal(a.ToArray<float>(), b.ToArray<float>());
        Assert.NotEqual(a.ToArray<float>(), c.ToArray<float>());
    }

    [Fact]
    public void Restoring_rng_state_replays_the_same_samples()
    {
        torch.manual_seed(7);
        using var state = torch.get_rng_state();
        using var first = torch.rand([5]);

        torch.set_rng_state(state);
        using var replay = torch.rand([5]);

        Assert.Equal(ScalarType.UInt8, state.dtype);
        Assert.Equal(first.ToArray<float>(), replay.ToArray<float>());
    }

    [Fact]
    public void Num_threads_can_be_read_and_set()
    {
        var original = torch.get_num_threads();
        try
        {
            torch.set_num_threads(1);
            Assert.Equal(1, torch.get_num_threads());
        }
        finally
        {
            torch.set_num_threads(original);
        }
    }

    [Fact]
    public void Autocast_on_cpu_is_a_documented_no_op()
    {
        using (torch.autocast(Device.CPU))
        {
            Assert.False(torch.is_autocast_enabled());
            using var a = torch.ones(2, 2);
            using var product = a.matmul(a);
            Assert.Equal(ScalarType.Float32, product.dtype);
        }
    }
}
