namespace SlmOps.Data.Entities;

/// <summary>How an SLM follows its frozen LLM (DESIGN.md section 3): tokens, logits or hidden.</summary>
public enum CouplingMode
{
    Tokens,
    Logits,
    Hidden,
}
