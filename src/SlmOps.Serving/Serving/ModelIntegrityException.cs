namespace SlmOps.Serving;

/// <summary>
/// A model's weights on disk are not the ones its registry row names. Serving refuses them: an LLM is immutable once
/// registered and every SLM was trained against it, and an SLM version is exactly the file it was registered with,
/// whatever the manifest inside its folder says.
/// </summary>
public sealed class ModelIntegrityException(string subject, string path, string registeredSha256, string actualSha256)
    : Exception($"{subject} is registered with weights sha256 {registeredSha256}, but '{path}' " +
                $"has sha256 {actualSha256}. The file was changed or replaced after registration; restore the registered file " +
                "(the artifact store keeps it under its sha256) or register the new weights as a new version.")
{
    public string RegisteredSha256 { get; } = registeredSha256;
    public string ActualSha256 { get; } = actualSha256;
}
