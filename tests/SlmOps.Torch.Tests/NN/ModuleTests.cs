using SlmOps.Torch.Modules;

namespace SlmOps.Torch.Tests.NN;

public sealed class ModuleTests
{
    private sealed class Tiny : torch.nn.Module<Tensor, Tensor>
    {
        public Tiny() : base(nameof(Tiny))
        {
            register_parameter("scale", torch.nn.Parameter(torch.ones([3])));
            register_module("body", torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.GELU(), torch.nn.LayerNorm(4)));
            register_buffer("steps", torch.zeros([1], dtype: ScalarType.Int64));
            register_module("head", torch.nn.Linear(4, 2, hasBias: false));
        }

        public override Tensor forward(Tensor x) =>
            ((torch.nn.Module<Tensor, Tensor>)named_children().Last().Module).call(
                ((Sequential)named_children().First().Module).call(x * get_parameter("scale")!));
    }

    [Fact]
    public void Named_parameters_are_dotted_in_registration_order_own_first_then_children_depth_first()
    {
        using var m = new Tiny();
        Assert.Equal(["scale", "body.0.weight", "body.0.bias", "body.2.weight", "body.2.bias", "head.weight"],
            m.named_parameters().Select(p => p.Name));
        Assert.Equal(["steps"], m.named_buffers().Select(b => b.Name));
        Assert.Equal(3 + (4 * 3) + 4 + 4 + 4 + (2 * 4), m.parameter_count());
        // PyTorch order: each module's own parameters, then its own buffers, then its children.
        Assert.Equal(["scale", "steps", "body.0.weight", "body.0.bias", "body.2.weight", "body.2.bias", "head.weight"],
            m.state_dict().Keys);
    }

    [Fact]
    public void Parameters_are_trainable_leaves_that_outlive_the_dispose_scope_they_were_made_in()
    {
        Linear layer;
        using (torch.NewDisposeScope())
        {
            layer = torch.nn.Linear(5, 2);
        }
        using (layer)
        {
            Assert.All(layer.parameters(), p =>
            {
                Assert.False(p.IsDisposed);
                Assert.True(p.requires_grad);
                Assert.True(p.is_leaf);
            });
            using var scope = torch.NewDisposeScope();
            var y = layer.call(torch.ones([7, 5]));
            Assert.Equal([7L, 2L], y.shape);
        }
        Assert.All(layer.parameters(), p => Assert.True(p.IsDisposed));
    }

    [Fact]
    public void Linear_default_init_is_pytorch_kaiming_uniform_with_a_sqrt5_and_uniform_bias()
    {
        torch.manual_seed(1);
        using var layer = torch.nn.Linear(400, 300);
        using var scope = torch.NewDisposeScope();
        var bound = 1 / Math.Sqrt(400);
        var w = layer.weight.ToArray<float>();
        Assert.All(w, v => Assert.InRange(v, -bound, bound));
        // U(-b, b) has standard deviation b / sqrt(3); 120k samples pin it within 2%.
        var std = layer.weight.std_of();
        Assert.InRange(std, 0.98 * bound / Math.Sqrt(3), 1.02 * bound / Math.Sqrt(3));
        var b = layer.bias!.ToArray<float>();
        Assert.All(b, v => Assert.InRange(v, -bound, bound));
        Assert.True(b.Distinct().Count() > 250);
    }

    [Fact]
    public void Embedding_init_is_standard_normal_and_layer_norm_init_is_ones_and_zeros()
    {
        torch.manual_seed(2);
        using var emb = torch.nn.Embedding(1000, 100);
        using var scope = torch.NewDisposeScope();
        var values = emb.weight.ToArray<float>();
        Assert.InRange(values.Average(), -0.02, 0.02);
        Assert.InRange(emb.weight.std_of(), 0.98, 1.02);

        using var ln = torch.nn.LayerNorm(6);
        Assert.All(ln.weight!.ToArray<float>(), v => Assert.Equal(1f, v));
        Assert.All(ln.bias!.ToArray<float>(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Dropout_drops_in_training_mode_and_is_the_identity_in_eval_mode()
    {
        using var m = torch.nn.Sequential(torch.nn.Dropout(0.5));
        using var scope = torch.NewDisposeScope();
        var x = torch.ones([1000]);
        var trained = m.call(x).ToArray<float>();
        Assert.Contains(0f, trained);
        Assert.Contains(2f, trained);
        Assert.True(m.training);
        m.eval();
        Assert.False(m[0].training);
        Assert.All(m.call(x).ToArray<float>(), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void Load_state_dict_copies_values_so_two_modules_compute_the_same_function()
    {
        using var a = new Tiny();
        using var b = new Tiny();
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([2, 3]);
        Assert.NotEqual(a.call(x).ToArray<float>(), b.call(x).ToArray<float>());
        b.load_state_dict(a.state_dict());
        Assert.Equal(a.call(x).ToArray<float>(), b.call(x).ToArray<float>());
        Assert.All(b.parameters(), p => Assert.True(p.requires_grad && p.is_leaf));
    }

    [Fact]
    public void Load_state_dict_with_a_missing_key_names_it_and_changes_nothing()
    {
        using var a = new Tiny();
        using var b = new Tiny();
        var before = b.state_dict()["body.0.weight"].ToArray<float>();
        var partial = a.state_dict().Where(kv => kv.Key != "head.weight").ToDictionary();
        var e = Assert.Throws<ArgumentException>(() => b.load_state_dict(partial));
        Assert.Contains("missing key(s): head.weight", e.Message);
        Assert.Contains("Tiny", e.Message);
        Assert.Equal(before, b.state_dict()["body.0.weight"].ToArray<float>());

        var (missing, unexpected) = b.load_state_dict(partial, strict: false);
        Assert.Equal(["head.weight"], missing);
        Assert.Empty(unexpected);
        Assert.Equal(a.state_dict()["body.0.weight"].ToArray<float>(), b.state_dict()["body.0.weight"].ToArray<float>());
    }

    [Fact]
    public void Load_state_dict_with_a_wrong_shape_or_an_unexpected_key_says_which()
    {
        using var m = new Tiny();
        using var scope = torch.NewDisposeScope();
        var dict = m.state_dict().ToDictionary();
        dict["head.weight"] = torch.zeros([3, 4]);
        dict["head.bias"] = torch.zeros([2]);
        var e = Assert.Throws<ArgumentException>(() => m.load_state_dict(dict));
        Assert.Contains("size mismatch for head.weight: checkpoint has shape [3, 4], this model has [2, 4]", e.Message);
        Assert.Contains("unexpected key(s): head.bias", e.Message);
    }

    [Fact]
    public void Save_and_load_round_trip_through_a_safetensors_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"slmops-module-{Guid.NewGuid():N}.safetensors");
        try
        {
            using var a = new Tiny();
            using var b = new Tiny();
            using var scope = torch.NewDisposeScope();
            a.save(path);
            b.load(path);
            var x = torch.randn([4, 3]);
            Assert.Equal(a.call(x).ToArray<float>(), b.call(x).ToArray<float>());
            Assert.Equal(
                a.state_dict().Keys,
                SlmOps.Torch.Serialization.SafetensorsFile.ReadHeader(path).Entries.Select(e => e.Name));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void To_dtype_casts_floating_parameters_keeps_them_trainable_and_leaves_integer_buffers()
    {
        using var m = new Tiny();
        var old = m.parameters().First();
        m.to(ScalarType.BFloat16);
        Assert.True(old.IsDisposed);
        Assert.All(m.parameters(), p =>
        {
            Assert.Equal(ScalarType.BFloat16, p.dtype);
            Assert.True(p.requires_grad && p.is_leaf);
        });
        Assert.Equal(ScalarType.Int64, m.named_buffers().Single().Buffer.dtype);
        m.to(Device.CPU);
        Assert.Equal(Device.CPU, m.parameters().First().device);
    }

    [Fact]
    public void Registering_a_name_twice_or_a_dotted_name_is_refused()
    {
        using var m = new Tiny();
        Assert.Throws<ArgumentException>(() => m.register_module("head", torch.nn.GELU()));
        Assert.Throws<ArgumentException>(() => m.register_buffer("scale", torch.zeros([1])));
        Assert.Throws<ArgumentException>(() => m.register_parameter("a.b", null));
    }

    [Fact]
    public void Zero_grad_zeroes_accumulated_gradients_in_place()
    {
        using var layer = torch.nn.Linear(3, 2);
        using var scope = torch.NewDisposeScope();
        layer.call(torch.ones([4, 3])).sum().backward();
        Assert.Contains(layer.weight.grad!.ToArray<float>(), v => v != 0);
        layer.zero_grad();
        Assert.All(layer.weight.grad!.ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.All(layer.bias!.grad!.ToArray<float>(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Module_list_names_children_by_index_and_iterates_in_order()
    {
        using var list = torch.nn.ModuleList(torch.nn.Linear(2, 2), torch.nn.Linear(2, 3));
        Assert.Equal(2, list.Count);
        Assert.Equal(3, list[1].out_features);
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias"], list.named_parameters().Select(p => p.Name));
    }
}

internal static class StatsExtensions
{
    public static double std_of(this Tensor t)
    {
        var v = t.ToArray<float>();
        var mean = v.Average(x => (double)x);
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
    }
}
