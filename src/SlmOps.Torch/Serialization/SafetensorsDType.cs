namespace SlmOps.Torch.Serialization;

/// <summary>The safetensors dtype strings this binding reads and writes, and their element sizes.</summary>
public static class SafetensorsDType
{
    public const string F32 = "F32";
    public const string BF16 = "BF16";
    public const string F16 = "F16";
    public const string I64 = "I64";
    public const string Bool = "BOOL";

    public static IReadOnlyList<string> Supported { get; } = [F32, BF16, F16, I64, Bool];

    /// <summary>Bytes per element, or throws for a dtype the binding does not support.</summary>
    public static int ElementSize(string dtype) => dtype switch
    {
        F32 => 4,
        BF16 or F16 => 2,
        I64 => 8,
        Bool => 1,
        _ => throw new SafetensorsException(
            $"unsupported safetensors dtype '{dtype}' (supported: {string.Join(", ", Supported)})"),
    };

    public static bool IsSupported(string dtype) => Supported.Contains(dtype);
}
