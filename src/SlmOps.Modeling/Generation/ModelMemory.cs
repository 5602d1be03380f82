using SlmOps.Torch;

namespace SlmOps.Modeling.Generation;

/// <summary>What a loaded model costs in memory: the bytes of its parameters and buffers, as stored.</summary>
public static class ModelMemory
{
    public static long Bytes(torch.nn.Module module) =>
        module.state_dict().Values.Sum(t => t.numel() * ElementSize(t.dtype));

    private static long ElementSize(ScalarType type) => type switch
    {
        ScalarType.UInt8 or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        _ => 8,
    };
}
