using SlmOps.Torch.Modules;

namespace SlmOps.Torch.Tests.NN;

/// <summary>torch.nn.init.NoInitScope: modules built for loading draw nothing; outside it, PyTorch's defaults as before.</summary>
public sealed class NoInitScopeTests
{
    private static void BuildLayers()
    {
        using var linear = torch.nn.Linear(64, 32);
        using var embedding = torch.nn.Embedding(50, 16);
        using var norm = torch.nn.LayerNorm(16);
    }

    private static float[] NextDraws(long seed, Action between)
    {
        torch.manual_seed(seed);
        between();
        using var draws = torch.rand([8]);
        return draws.ToArray<float>();
    }

    [Fact]
    public void Layers_built_inside_the_scope_draw_nothing_from_the_generator()
    {
        var untouched = NextDraws(11, () => { });
        var skipped = NextDraws(11, () =>
        {
            using var _ = torch.nn.init.NoInitScope();
            BuildLayers();
        });
        var initialised = NextDraws(11, BuildLayers);

        Assert.Equal(untouched, skipped);
        Assert.NotEqual(untouched, initialised);
    }

    [Fact]
    public void Parameters_built_inside_the_scope_have_the_default_shapes_dtypes_and_flags()
    {
        using var scope = torch.nn.init.NoInitScope();
        using var linear = torch.nn.Linear(6, 4, dtype: ScalarType.Float64);
        using var embedding = torch.nn.Embedding(10, 3);
        using var norm = torch.nn.LayerNorm(3);

        Assert.Equal([4L, 6L], linear.weight.shape);
        Assert.Equal([4L], linear.bias!.shape);
        Assert.Equal(ScalarType.Float64, linear.weight.dtype);
        Assert.Equal([10L, 3L], embedding.weight.shape);
        Assert.Equal([3L], norm.weight!.shape);
        Assert.All(new[] { linear.weight, linear.bias, embedding.weight, norm.weight, norm.bias! }, p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void Defaults_return_when_the_scope_is_disposed_and_nested_scopes_end_with_the_outermost()
    {
        var outer = torch.nn.init.NoInitScope();
        var inner = torch.nn.init.NoInitScope();
        inner.Dispose();
        Assert.True(NoInitScope.IsActive);
        outer.Dispose();
        outer.Dispose(); // a second dispose does not end anyone else's scope
        Assert.False(NoInitScope.IsActive);

        using var norm = torch.nn.LayerNorm(5);
        Assert.Equal(Enumerable.Repeat(1f, 5), norm.weight!.ToArray<float>());
        Assert.Equal(Enumerable.Repeat(0f, 5), norm.bias!.ToArray<float>());
        using var linear = torch.nn.Linear(100, 50);
        var w = linear.weight.ToArray<float>();
        Assert.All(w, v => Assert.InRange(v, -0.1f, 0.1f));
        Assert.True(w.Max() - w.Min() > 0.15f, "a default Linear weight spans U(-1/sqrt(100), 1/sqrt(100))");
    }

    [Fact]
    public void The_scope_is_per_thread()
    {
        using var _ = torch.nn.init.NoInitScope();
        var elsewhere = true;
        var thread = new Thread(() => elsewhere = NoInitScope.IsActive);
        thread.Start();
        thread.Join();

        Assert.True(NoInitScope.IsActive);
        Assert.False(elsewhere);
    }
}
