namespace SlmOps.Torch.Tests.Core;

/// <summary>Tensor.CopyFrom: host values written in place into a range of a tensor's elements.</summary>
public class CopyFromHostTests
{
    [Fact]
    public void Values_land_in_the_given_range_in_row_major_order_and_the_rest_is_untouched()
    {
        using var t = torch.zeros(2, 3);

        t.CopyFrom<float>([7f, 8f, 9f], offset: 2);

        Assert.Equal([0f, 0f, 7f, 8f, 9f, 0f], t.ToArray<float>());
    }

    [Fact]
    public void A_parameter_that_requires_grad_is_filled_in_place_without_recording_autograd_history()
    {
        using var parameter = torch.zeros([4], requires_grad: true);

        parameter.CopyFrom<float>([1f, 2f, 3f, 4f]);

        Assert.Equal([1f, 2f, 3f, 4f], parameter.ToArray<float>());
        Assert.True(parameter.requires_grad);
        Assert.True(parameter.is_leaf);
    }

    [Fact]
    public void Values_are_converted_to_the_tensors_dtype()
    {
        using var t = torch.zeros([3], dtype: ScalarType.Float64);

        t.CopyFrom<float>([0.5f, 1.5f, -2f]);

        Assert.Equal([0.5, 1.5, -2.0], t.ToArray<double>());
    }

    [Fact]
    public void A_range_past_the_end_is_refused_naming_the_range_and_the_size()
    {
        using var t = torch.zeros(4);

        var error = Assert.Throws<TorchException>(() => t.CopyFrom<float>([1f, 2f, 3f], offset: 2));

        Assert.Contains("[2, 5)", error.Message);
        Assert.Contains("4 elements", error.Message);
        Assert.Equal([0f, 0f, 0f, 0f], t.ToArray<float>());
    }

    [Fact]
    public void A_non_contiguous_tensor_is_refused()
    {
        using var t = torch.zeros(2, 3);
        using var transposed = t.transpose(0, 1);

        var error = Assert.Throws<TorchException>(() => transposed.CopyFrom<float>([1f]));

        Assert.Contains("contiguous", error.Message);
    }
}
