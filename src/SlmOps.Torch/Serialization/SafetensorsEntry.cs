namespace SlmOps.Torch.Serialization;

/// <summary>
/// One tensor's header record: its dtype string, shape, and byte range relative to the start of the data section.
/// </summary>
public sealed record SafetensorsEntry(string Name, string DType, long[] Shape, long Begin, long End)
{
    public long ElementCount => Shape.Aggregate(1L, (n, d) => checked(n * d));

    public long ByteLength => End - Begin;
}
