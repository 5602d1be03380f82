using System.Text.Json.Serialization;

namespace SlmOps.Modeling.Architectures;

/// <summary>
/// The paper's model. Embedding: token table V×Ve + position table T×Ve, LayerNorm(Ve), unification
/// Linear Ve→E. Each block: LN(E), two T×T lower-triangular time-mixing matrices, residual, LN(E),
/// x = h + W2(sin(W1 h)) with W1: E→Ve, W2: Ve→E. Head: LN(E), Linear E→V. All linears have biases.
/// </summary>
/// <remarks>
/// The four LayerNorm sites (embedding, two per block, head) are what make the paper's LLM
/// (V=1092, Ve=1024, E=768, T=430, L=17) come to exactly 36,297,036 parameters. The mixing
/// matrices are counted whole (T² each) because they are stored whole; their upper triangles are
/// held at zero.
/// </remarks>
public sealed record FftConfig : ModelConfig
{
    public const string ArchitectureName = "fft";

    /// <summary>Ve: width of the token/position tables and of the sine MLP's hidden layer.</summary>
    public required int EmbeddingDim { get; init; }

    [JsonIgnore]
    public override string Architecture => ArchitectureName;

    public long EmbeddingParameters() =>
        (long)VocabSize * EmbeddingDim + (long)BlockSize * EmbeddingDim + LayerNormParams(EmbeddingDim) + LinearParams(EmbeddingDim, Width);

    public long BlockParameters() =>
        2L * BlockSize * BlockSize
        + 2 * LayerNormParams(Width)
        + LinearParams(Width, EmbeddingDim)
        + LinearParams(EmbeddingDim, Width);

    public long HeadParameters() => LayerNormParams(Width) + LinearParams(Width, VocabSize);

    public override long ParameterCount() => EmbeddingParameters() + Layers * BlockParameters() + HeadParameters();

    public override long ForwardFlopsPerToken() =>
        2L * EmbeddingDim * Width
        + Layers * (2L * 2 * BlockSize * Width + 2L * 2 * Width * EmbeddingDim)
        + 2L * Width * VocabSize;

    public override void Validate()
    {
        base.Validate();
        if (EmbeddingDim < 1) throw new ArgumentException($"EmbeddingDim must be positive, got {EmbeddingDim}.");
    }
}
