namespace SlmOps.Torch.Serialization;

/// <summary>One tensor's raw little-endian bytes with the dtype string and shape that describe them.</summary>
public sealed record SafetensorsTensorBytes(string Name, string DType, long[] Shape, byte[] Data);
