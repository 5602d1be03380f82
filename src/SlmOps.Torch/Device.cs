using System.Globalization;

namespace SlmOps.Torch;

/// <summary>Values are c10::DeviceType's.</summary>
public enum DeviceType
{
    CPU = 0,
    CUDA = 1,
}

/// <summary>A device as in PyTorch: <c>cpu</c> (Index -1, "none") or <c>cuda:N</c>.</summary>
public readonly record struct Device(DeviceType Type, int Index)
{
    public static Device CPU { get; } = new(DeviceType.CPU, -1);

    public static Device CUDA(int index = 0) => new(DeviceType.CUDA, index);

    /// <summary>Parses "cpu", "cuda" (= cuda:0) and "cuda:N", case-insensitively.</summary>
    public static Device Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim().ToLowerInvariant();
        if (value == "cpu")
        {
            return CPU;
        }

        if (value == "cuda")
        {
            return CUDA(0);
        }

        if (value.StartsWith("cuda:", StringComparison.Ordinal) &&
            int.TryParse(value.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return CUDA(index);
        }

        throw new FormatException($"'{text}' is not a device; expected cpu, cuda or cuda:N.");
    }

    public override string ToString() => Type switch
    {
        DeviceType.CPU => "cpu",
        _ => Index < 0 ? "cuda" : $"cuda:{Index}",
    };
}
