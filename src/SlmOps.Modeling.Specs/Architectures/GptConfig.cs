using System.Text.Json.Serialization;

namespace SlmOps.Modeling.Architectures;

/// <summary>
/// A standard pre-LayerNorm causal decoder: token table V×E + position table T×E; each block
/// x += Attn(LN(x)) with a fused QKV Linear E→3E and an output Linear E→E, then
/// x += MLP(LN(x)) with Linear E→rE, GELU, Linear rE→E (all with biases); final LN, then an
/// untied Linear E→V without bias.
/// </summary>
public sealed record GptConfig : ModelConfig
{
    public const string ArchitectureName = "gpt";

    public required int Heads { get; init; }
    public int MlpRatio { get; init; } = 4;

    [JsonIgnore]
    public override string Architecture => ArchitectureName;

    public int HeadDim => Width / Heads;

    public long EmbeddingParameters() => ((long)VocabSize + BlockSize) * Width;

    public long BlockParameters() =>
        2 * LayerNormParams(Width)
        + LinearParams(Width, 3L * Width) + LinearParams(Width, Width)
        + LinearParams(Width, (long)MlpRatio * Width) + LinearParams((long)MlpRatio * Width, Width);

    public long HeadParameters() => LayerNormParams(Width) + LinearParams(Width, VocabSize, bias: false);

    public override long ParameterCount() => EmbeddingParameters() + Layers * BlockParameters() + HeadParameters();

    public override long ForwardFlopsPerToken() =>
        Layers * (2L * (3L * Width * Width + Width * Width + 2L * MlpRatio * Width * Width) + 2L * 2 * BlockSize * Width)
        + 2L * Width * VocabSize;

    public override void Validate()
    {
        base.Validate();
        if (Heads < 1 || Width % Heads != 0) throw new ArgumentException($"Width {Width} must be a positive multiple of Heads {Heads}.");
        if (MlpRatio < 1) throw new ArgumentException($"MlpRatio must be positive, got {MlpRatio}.");
    }
}
