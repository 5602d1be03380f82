using System.Text.Json.Serialization;

namespace SlmOps.Modeling.Architectures;

/// <summary>
/// What a language model is, independent of its weights. Serialized with an "architecture"
/// discriminator ("fft" or "gpt") into every checkpoint's config.json.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "architecture")]
[JsonDerivedType(typeof(FftConfig), FftConfig.ArchitectureName)]
[JsonDerivedType(typeof(GptConfig), GptConfig.ArchitectureName)]
public abstract record ModelConfig
{
    /// <summary>V: tokens in the vocabulary.</summary>
    public required int VocabSize { get; init; }
    /// <summary>E: width of the residual stream (what "hidden" coupling reads).</summary>
    public required int Width { get; init; }
    /// <summary>T: the longest window the model reads.</summary>
    public required int BlockSize { get; init; }
    /// <summary>L: blocks.</summary>
    public required int Layers { get; init; }
    public double Dropout { get; init; }

    [JsonIgnore]
    public abstract string Architecture { get; }

    /// <summary>Exact number of scalars in the module's parameters (checked against the instantiated module).</summary>
    public abstract long ParameterCount();

    /// <summary>Approximate forward FLOPs per token at full window (2 per multiply-add).</summary>
    public abstract long ForwardFlopsPerToken();

    public virtual void Validate()
    {
        if (VocabSize < 2) throw new ArgumentException($"VocabSize must be at least 2, got {VocabSize}.");
        if (Width < 1 || BlockSize < 1 || Layers < 0) throw new ArgumentException($"Width, BlockSize must be positive and Layers non-negative ({this}).");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"Dropout must be in [0, 1), got {Dropout}.");
    }

    protected static long LinearParams(long inputs, long outputs, bool bias = true) => inputs * outputs + (bias ? outputs : 0);
    protected static long LayerNormParams(long width) => 2 * width;
}
