namespace SlmOps.Torch.Serialization;

/// <summary>
/// A safetensors file is truncated, malformed, or holds something this binding cannot represent.
/// The message names the file (when known) and the offending tensor or header field so a person can act on it.
/// </summary>
public sealed class SafetensorsException : Exception
{
    public SafetensorsException(string message) : base(message) { }

    public SafetensorsException(string message, Exception inner) : base(message, inner) { }
}
