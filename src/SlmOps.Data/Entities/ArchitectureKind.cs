namespace SlmOps.Data.Entities;

/// <summary>LLM architecture of a base model version (fft: the paper's model; gpt: attention decoder).</summary>
public enum ArchitectureKind
{
    Fft,
    Gpt,
}
