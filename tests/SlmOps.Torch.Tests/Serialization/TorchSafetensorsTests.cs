using SlmOps.Torch.Serialization;
using SlmOps.Torch.Tests.Support;

namespace SlmOps.Torch.Tests.Serialization;

/// <summary>Tensors through safetensors files: every supported dtype, and interop with PyTorch in both directions.</summary>
public sealed class TorchSafetensorsTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("slmops-tst-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string PathFor(string name) => Path.Combine(_dir.FullName, name);

    private static Dictionary<string, Tensor> AllDtypes()
    {
        torch.manual_seed(11);
        return new Dictionary<string, Tensor>
        {
            ["f32"] = torch.randn([3, 5]),
            ["bf16"] = torch.randn([4, 2]).to(ScalarType.BFloat16),
            ["f16"] = torch.randn([2, 3, 2]).to(ScalarType.Float16),
            ["i64"] = torch.tensor([long.MinValue, -1L, 0L, 7L, long.MaxValue - 1], [5]),
            ["bool"] = torch.rand([6]).gt(0.5),
            ["scalar"] = torch.tensor([3.5f], []),
            ["empty"] = torch.zeros([0, 4]),
        };
    }

    [Fact]
    public void Every_supported_dtype_round_trips_bit_exactly()
    {
        using var scope = torch.NewDisposeScope();
        var written = AllDtypes();
        var path = PathFor("all.safetensors");
        torch.save_safetensors(written, path, new Dictionary<string, string> { ["format"] = "pt" });

        var read = torch.load_safetensors(path, out var meta);
        Assert.Equal("pt", meta["format"]);
        Assert.Equal(written.Keys, read.Keys);
        foreach (var (name, t) in written)
        {
            Assert.Equal(t.dtype, read[name].dtype);
            TensorAssert.Close(t, read[name], Tolerance.Exact, name);
        }
    }

    [Fact]
    public void Unsupported_dtype_is_refused_with_the_tensor_named()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<SafetensorsException>(() =>
            torch.save_safetensors(new Dictionary<string, Tensor> { ["w"] = torch.zeros([2], dtype: ScalarType.Float64) },
                PathFor("f64.safetensors")));
        Assert.Contains("'w'", e.Message);
        Assert.Contains("Float64", e.Message);
    }

    [Fact]
    public void Truncated_checkpoint_fails_with_a_clear_error_instead_of_garbage()
    {
        using var scope = torch.NewDisposeScope();
        var path = PathFor("cut.safetensors");
        torch.save_safetensors(new Dictionary<string, Tensor> { ["w"] = torch.ones([64, 64]) }, path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<SafetensorsException>(() => torch.load_safetensors(path));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("'w'", e.Message);
    }

    [PythonTorchFact]
    public void Files_written_here_are_read_by_pytorch_and_files_written_by_pytorch_are_read_here()
    {
        using var scope = torch.NewDisposeScope();
        var written = AllDtypes();
        var ours = PathFor("ours.safetensors");
        var theirs = PathFor("theirs.safetensors");
        torch.save_safetensors(written, ours);

        // The oracle transforms each tensor without changing its dtype (x2, +1, not), so an echo would fail.
        PythonOracle.Run("oracle.py", "interop", ours, theirs);
        var read = torch.load_safetensors(theirs);

        Assert.Equal(written.Keys.Order(), read.Keys.Order());
        foreach (var (name, t) in written)
        {
            Assert.Equal(t.dtype, read[name].dtype);
            var expected = t.dtype switch
            {
                ScalarType.Bool => t.logical_not(),
                ScalarType.Int64 => t + 1L,
                _ => t * 2.0,
            };
            TensorAssert.Close(expected, read[name], Tolerance.Exact, name);
        }
    }
}
