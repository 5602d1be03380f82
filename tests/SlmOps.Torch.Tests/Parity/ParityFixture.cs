using SlmOps.Torch.Tests.Support;

namespace SlmOps.Torch.Tests.Parity;

/// <summary>
/// Makes the inputs, writes them as safetensors, runs the PyTorch oracle once, and holds its outputs for every
/// parity test. The exchange itself exercises both directions of safetensors interop.
/// </summary>
public sealed class ParityFixture : IDisposable
{
    private readonly DirectoryInfo? _dir;

    public ParityFixture()
    {
        if (PythonOracle.SkipReason is not null)
        {
            return;
        }
        _dir = Directory.CreateTempSubdirectory("slmops-parity-");
        var inputsPath = Path.Combine(_dir.FullName, "inputs.safetensors");
        var outputsPath = Path.Combine(_dir.FullName, "outputs.safetensors");
        Inputs = ParityInputs.Create();
        foreach (var t in Inputs.Values)
        {
            t.DetachFromDisposeScope();
        }
        torch.save_safetensors(Inputs, inputsPath);
        PythonOracle.Run("oracle.py", "cases", inputsPath, outputsPath);
        Expected = torch.load_safetensors(outputsPath, out var metadata);
        OracleCases = metadata["cases"].Split(',');
        OracleTorchVersion = metadata["torch"];
    }

    public Dictionary<string, Tensor> Inputs { get; } = [];

    public Dictionary<string, Tensor> Expected { get; } = [];

    public IReadOnlyList<string> OracleCases { get; } = [];

    public string OracleTorchVersion { get; } = "";

    /// <summary>Expected outputs named "{case}.{suffix}", e.g. "add.out0" or "add.grad.a".</summary>
    public IEnumerable<string> KeysOf(string caseName) =>
        Expected.Keys.Where(k => k.StartsWith(caseName + ".", StringComparison.Ordinal));

    public void Dispose()
    {
        foreach (var t in Inputs.Values.Concat(Expected.Values))
        {
            t.Dispose();
        }
        _dir?.Delete(recursive: true);
    }
}
