using static SlmOps.Torch.Tests.Core.HandValues;

namespace SlmOps.Torch.Tests.Core;

// Small inputs whose results are worked out by hand in the comments.
public class OpsTests
{
    [Fact]
    public void Arithmetic_operators_follow_broadcasting()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor([1f, 2f, 3f, 4f], [2, 2]);
        var row = torch.tensor([10f, 20f], [1, 2]);

        AssertClose([11, 22, 13, 24], a + row);
        AssertClose([-9, -18, -7, -16], a - row);
        AssertClose([10, 40, 30, 80], a * row);
        AssertClose([0.1f, 0.1f, 0.3f, 0.2f], a / row);
        AssertClose([3, 4, 5, 6], a + 2);
        AssertClose([1, 0, -1, -2], 2 - a);
        AssertClose([0.5f, 1, 1.5f, 2], a * 0.5);
        AssertClose([2, 1, 2f / 3, 0.5f], 2.0 / a);
        AssertClose([-1, -2, -3, -4], -a);
        AssertClose([1, 4, 9, 16], a.pow(2));
    }

    [Fact]
    public void Integer_tensors_stay_integral_with_integer_scalars()
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.tensor([1L, 2L, 3L]);

        var doubled = t * 2;
        var halved = t * 0.5;

        Assert.Equal(ScalarType.Int64, doubled.dtype);
        Assert.Equal([2L, 4L, 6L], doubled.ToArray<long>());
        Assert.Equal(ScalarType.Float32, halved.dtype);
    }

    [Fact]
    public void Matmul_multiplies_matrices()
    {
        using var scope = torch.NewDisposeScope();
        // [[1,2],[3,4]] @ [[5,6],[7,8]] = [[19,22],[43,50]]
        var a = torch.tensor([1f, 2f, 3f, 4f], [2, 2]);
        var b = torch.tensor([5f, 6f, 7f, 8f], [2, 2]);

        AssertClose([19, 22, 43, 50], a.matmul(b));
        AssertClose([19, 22, 43, 50], torch.matmul(a, b));
    }

    [Fact]
    public void Unary_functions_match_their_definitions()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor([-1f, 0f, 1f, 4f]);
        var positive = torch.tensor([1f, 4f]);

        AssertClose([0, 0, 1, 4], x.relu());
        AssertClose([1, 0, 1, 4], x.abs());
        AssertClose([MathF.Exp(-1), 1, MathF.E, MathF.Exp(4)], x.exp(), 1e-4f);
        AssertClose([0, MathF.Log(4)], positive.log());
        AssertClose([1, 2], positive.sqrt());
        AssertClose([1, 0.5f], positive.rsqrt());
        AssertClose([MathF.Sin(-1), 0, MathF.Sin(1), MathF.Sin(4)], x.sin());
        AssertClose([MathF.Cos(-1), 1, MathF.Cos(1), MathF.Cos(4)], x.cos());
        AssertClose([MathF.Tanh(-1), 0, MathF.Tanh(1), MathF.Tanh(4)], x.tanh());
        AssertClose([1 / (1 + MathF.E), 0.5f, 1 / (1 + MathF.Exp(-1)), 1 / (1 + MathF.Exp(-4))], x.sigmoid());
        // gelu(x) = x * Phi(x); Phi(1) = 0.841344746
        AssertClose([-0.158655254f, 0, 0.841344746f, 3.99987335f], x.gelu(), 1e-5f);
    }

    [Fact]
    public void Reductions_over_all_elements_and_one_dimension()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor([1f, 5f, 3f, 4f, 2f, 6f], [2, 3]);

        Assert.Equal(21f, a.sum().item<float>());
        Assert.Equal(3.5f, a.mean().item<float>());
        AssertClose([9, 12], a.sum(1));
        Assert.Equal([2L, 1L], a.sum(1, keepdim: true).shape);
        AssertClose([2.5f, 3.5f, 4.5f], a.mean(0));
        var (values, indexes) = a.max(1);
        AssertClose([5, 6], values);
        Assert.Equal([1L, 2L], indexes.ToArray<long>());
        Assert.Equal([1L, 2L], a.argmax(1).ToArray<long>());
        Assert.Equal(1f, a.min().item<float>());
        // var of [1,5,3] (unbiased) = ((1-3)^2 + (5-3)^2 + 0) / 2 = 4
        AssertClose([4, 4], a.var(1));
        var (top, topIndexes) = a.topk(2, 1);
        AssertClose([5, 3, 6, 4], top);
        Assert.Equal([1L, 2L, 2L, 0L], topIndexes.ToArray<long>());
    }

    [Fact]
    public void Softmax_rows_sum_to_one_and_log_softmax_matches_its_log()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor([0f, MathF.Log(3)], [1, 2]);

        AssertClose([0.25f, 0.75f], x.softmax(-1));
        AssertClose([MathF.Log(0.25f), MathF.Log(0.75f)], x.log_softmax(-1));
    }

    [Fact]
    public void Views_reorder_and_select_elements()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.arange(6).reshape(2, 3);

        Assert.Equal([0L, 3L, 1L, 4L, 2L, 5L], a.transpose(0, 1).contiguous().ToArray<long>());
        Assert.Equal([0L, 3L, 1L, 4L, 2L, 5L], a.permute(1, 0).contiguous().ToArray<long>());
        Assert.Equal([1L, 2L, 4L, 5L], a.slice(1, 1, 3).contiguous().ToArray<long>());
        Assert.Equal([3L, 4L, 5L], a.narrow(0, 1, 1).ToArray<long>());
        Assert.Equal([2L, 1L, 3L], a.unsqueeze(1).shape);
        Assert.Equal([2L, 3L], a.unsqueeze(0).squeeze().shape);
        Assert.Equal([3L, 2L, 3L], a.unsqueeze(0).expand(3, 2, 3).shape);
        Assert.Equal([6L], a.view(6).shape);
    }

    [Fact]
    public void Triangles_masks_and_selection()
    {
        using var scope = torch.NewDisposeScope();
        var ones = torch.ones(3, 3);
        var lower = ones.tril();
        var upper = ones.triu(1);

        AssertClose([1, 0, 0, 1, 1, 0, 1, 1, 1], lower);
        AssertClose([0, 1, 1, 0, 0, 1, 0, 0, 0], upper);
        AssertClose([1, float.NegativeInfinity, float.NegativeInfinity, 1, 1, float.NegativeInfinity, 1, 1, 1],
            ones.masked_fill(upper.gt(0), double.NegativeInfinity));

        var table = torch.tensor([10f, 11f, 20f, 21f, 30f, 31f], [3, 2]);
        var idx = torch.tensor([2L, 0L]);
        AssertClose([30, 31, 10, 11], table.index_select(0, idx));
        AssertClose([11, 20, 31], table.gather(1, torch.tensor([1L, 0L, 1L], [3, 1])));
        AssertClose([-1, -1, 20, 21, 30, 31], torch.where(table.gt(15), table, torch.full([3, 2], -1)));
    }

    [Fact]
    public void Comparisons_produce_bool_tensors()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor([1f, 2f, 3f]);
        var b = torch.tensor([3f, 2f, 1f]);

        Assert.Equal([false, true, false], a.eq(b).ToArray<bool>());
        Assert.Equal([true, false, true], a.ne(b).ToArray<bool>());
        Assert.Equal([true, false, false], a.lt(b).ToArray<bool>());
        Assert.Equal([false, false, true], a.gt(b).ToArray<bool>());
        Assert.Equal(ScalarType.Bool, a.gt(2).dtype);
    }

    [Fact]
    public void Cat_and_stack_join_along_a_dimension()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor([1f, 2f]);
        var b = torch.tensor([3f, 4f]);

        AssertClose([1, 2, 3, 4], torch.cat([a, b], 0));
        var stacked = torch.stack([a, b], 1);
        Assert.Equal([2L, 2L], stacked.shape);
        AssertClose([1, 3, 2, 4], stacked);
    }

    [Fact]
    public void In_place_updates_change_the_receiver_and_return_it()
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.zeros(3);

        var same = t.add_(torch.ones(3), alpha: 2).mul_(3).add_(1);

        Assert.Same(t, same);
        AssertClose([7, 7, 7], t);
        t.fill_(2).mul_(torch.tensor([1f, 2f, 3f]));
        AssertClose([2, 4, 6], t);
        t.copy_(torch.tensor([9f, 8f, 7f]));
        AssertClose([9, 8, 7], t);
        AssertClose([0, 0, 0], t.zero_());
    }

    [Theory]
    [InlineData(1, 1, 100, 768)]
    [InlineData(3, 1, 7, 70)]     // a width that is not a multiple of the 32-wide kernel
    [InlineData(2, 2, 5, 40)]     // more than one row per batch: ATen's bmm
    public void Bmm_matches_matmul_also_over_a_strided_view_of_a_cache(int batch, int rows, int length, int width)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(length);
        var cache = torch.randn([batch + 2, 2 * length + 9, width]);
        var values = cache.slice(0, 1, batch + 1).slice(1, 0, 2 * length, 2); // batches and rows strided, as in a cache view
        var weights = torch.randn([batch, rows, length]);

        using (torch.no_grad())
        {
            var product = torch.bmm(weights, values);
            Assert.Equal([batch, (long)rows, width], product.shape);
            Assert.True((product - weights.matmul(values)).abs().max().item<float>() < 1e-4f);
        }
    }

    [Fact]
    public void Index_copy_writes_rows_at_the_given_indexes_in_place()
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.zeros([4, 2]);
        var rows = torch.tensor([1f, 2f, 3f, 4f], [2, 2]);

        var same = t.index_copy_(0, torch.tensor([3L, 1L]), rows);

        Assert.Same(t, same);
        AssertClose([0, 0, 3, 4, 0, 0, 1, 2], t);
        Assert.Throws<TorchException>(() => t.index_copy_(0, torch.tensor([4L, 0L]), rows));
    }

    [Fact]
    public void Multinomial_never_draws_zero_probability_entries()
    {
        using var scope = torch.NewDisposeScope();
        var probs = torch.tensor([0f, 1f, 0f, 3f]);

        var draws = torch.multinomial(probs, 200, replacement: true).ToArray<long>();

        Assert.All(draws, d => Assert.Contains(d, new[] { 1L, 3L }));
        Assert.Contains(3L, draws);
    }
}
