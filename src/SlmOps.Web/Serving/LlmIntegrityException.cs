namespace SlmOps.Web.Serving;

/// <summary>
/// The LLM weights on disk are not the registered ones. Serving refuses them: every SLM was trained against the
/// registered weights, and the LLM is immutable once registered.
/// </summary>
public sealed class LlmIntegrityException(long baseModelVersionId, string path, string registeredSha256, string actualSha256)
    : Exception($"Base model version {baseModelVersionId} is registered with weights sha256 {registeredSha256}, but '{path}' " +
                $"has sha256 {actualSha256}. The file was changed or replaced after registration; restore the registered file " +
                "(the artifact store keeps it under its sha256) or register the new weights as a new base model version.")
{
    public string RegisteredSha256 { get; } = registeredSha256;
    public string ActualSha256 { get; } = actualSha256;
}
