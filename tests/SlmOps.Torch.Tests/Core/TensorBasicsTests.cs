namespace SlmOps.Torch.Tests.Core;

public class TensorBasicsTests
{
    [Fact]
    public void Tensor_round_trips_values_shape_and_dtype()
    {
        using var t = torch.tensor([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]);

        Assert.Equal([2L, 3L], t.shape);
        Assert.Equal(2, t.dim());
        Assert.Equal(6, t.numel());
        Assert.Equal(ScalarType.Float32, t.dtype);
        Assert.Equal(Device.CPU, t.device);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], t.ToArray<float>());
    }

    [Fact]
    public void Tensor_converts_between_dtypes_on_creation_and_copy_back()
    {
        using var t = torch.tensor([1L, 2L, 3L], dtype: ScalarType.Float64);

        Assert.Equal(ScalarType.Float64, t.dtype);
        Assert.Equal([1.0, 2.0, 3.0], t.ToArray<double>());
        Assert.Equal([1, 2, 3], t.ToArray<int>());
        using var bf16 = t.to(ScalarType.BFloat16);
        Assert.Equal(ScalarType.BFloat16, bf16.dtype);
        Assert.Equal([1f, 2f, 3f], bf16.ToArray<float>());
    }

    [Fact]
    public void Tensor_rejects_data_that_does_not_fill_the_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => torch.tensor([1f, 2f, 3f], [2, 2]));
        Assert.Contains("4 elements", error.Message);
    }

    [Fact]
    public void Item_reads_a_single_value_in_the_requested_type()
    {
        using var f = torch.tensor([2.5f], []);
        using var l = torch.tensor([7L], []);
        using var b = torch.tensor([true], []);

        Assert.Equal(2.5f, f.item<float>());
        Assert.Equal(2.5, f.item<double>());
        Assert.Equal(7L, l.item<long>());
        Assert.Equal(7, l.item<int>());
        Assert.True(b.item<bool>());
    }

    [Fact]
    public void Factories_fill_shapes_with_the_expected_values()
    {
        using var z = torch.zeros(2, 3);
        using var o = torch.ones([4], ScalarType.Int64);
        using var f = torch.full([2], 1.5);
        using var r = torch.arange(5);
        using var e = torch.eye(3);
        using var like = torch.ones_like(e);

        Assert.All(z.ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.Equal([1L, 1L, 1L, 1L], o.ToArray<long>());
        Assert.Equal([1.5f, 1.5f], f.ToArray<float>());
        Assert.Equal([0L, 1L, 2L, 3L, 4L], r.ToArray<long>());
        Assert.Equal(ScalarType.Int64, r.dtype);
        Assert.Equal([1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f], e.ToArray<float>());
        Assert.Equal(9f, like.sum().item<float>());
    }

    [Fact]
    public void Random_factories_respect_ranges()
    {
        using var u = torch.rand([1000]);
        using var i = torch.randint(3, 7, [1000]);
        using var n = torch.randn([4000]);

        Assert.All(u.ToArray<float>(), v => Assert.InRange(v, 0f, 1f));
        Assert.All(i.ToArray<long>(), v => Assert.InRange(v, 3L, 6L));
        Assert.InRange(n.mean().item<float>(), -0.1f, 0.1f);
        Assert.InRange(n.var().item<float>(), 0.9f, 1.1f);
    }

    [Fact]
    public void ToString_names_shape_dtype_and_device()
    {
        using var t = torch.zeros([2, 5], ScalarType.Int64);

        Assert.Equal("Tensor(shape=[2, 5], dtype=Int64, device=cpu)", t.ToString());
    }

    [Theory]
    [InlineData("cpu", DeviceType.CPU, -1)]
    [InlineData("cuda", DeviceType.CUDA, 0)]
    [InlineData("CUDA:1", DeviceType.CUDA, 1)]
    public void Device_parses_pytorch_spellings(string text, DeviceType type, int index)
    {
        Assert.Equal(new Device(type, index), Device.Parse(text));
    }

    [Fact]
    public void Device_parse_rejects_unknown_devices()
    {
        Assert.Throws<FormatException>(() => Device.Parse("tpu:0"));
    }
}
