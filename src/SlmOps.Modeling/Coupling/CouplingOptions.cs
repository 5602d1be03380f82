namespace SlmOps.Modeling.Coupling;

/// <summary>How a new SLM's weights start.</summary>
public enum SlmInitialization
{
    Random,
    /// <summary>Copy the LLM's token and position tables (the paper); needs equal table widths.</summary>
    CopyTables,
    /// <summary>Copy tables, the first k blocks and the head (Inheritune); needs equal widths.</summary>
    Inherit,
}

public sealed record CouplingOptions
{
    public CouplingMode Mode { get; init; } = CouplingMode.Tokens;
    /// <summary>Tokens mode: take the LLM's argmax instead of sampling one token per position.</summary>
    public bool Argmax { get; init; }
    /// <summary>Tokens mode: temperature of the LLM distribution the tokens are sampled from.</summary>
    public double Temperature { get; init; } = 1.0;
    /// <summary>
    /// Tokens mode, sampled: how many draws of the LLM's tokens evaluation averages over. The pair's prediction is the
    /// mean of the SLM's distributions over the LLM's draws, so its loss is -log of the mean over K draws of the SLM's
    /// probability of the target (one draw overstates the loss; see <see cref="SlmFollower.TokensLossOverDraws"/>).
    /// </summary>
    public int EvalDraws { get; init; } = DefaultEvalDraws;
    public const int DefaultEvalDraws = 8;
    public SlmInitialization Initialization { get; init; } = SlmInitialization.CopyTables;
    /// <summary>Inherit: how many of the LLM's first blocks to copy (at most the SLM's layer count).</summary>
    public int InheritBlocks { get; init; }
}
