namespace SlmOps.Modeling.Architectures;

/// <summary>Named configurations. The paper's vocabulary (V=1092) is its 2-character tokenizer's.</summary>
public static class ModelPresets
{
    public const int PaperVocabSize = 1092;

    /// <summary>The paper's LLM: exactly 36,297,036 parameters.</summary>
    public static FftConfig PaperLlm(int vocabSize = PaperVocabSize) => new()
    { VocabSize = vocabSize, EmbeddingDim = 1024, Width = 768, BlockSize = 430, Layers = 17 };

    /// <summary>The paper's SLM: about 9.76M parameters (9,756,156 with V=1092).</summary>
    public static FftConfig PaperSlm(int vocabSize = PaperVocabSize) => new()
    { VocabSize = vocabSize, EmbeddingDim = 1024, Width = 384, BlockSize = 370, Layers = 7 };

    /// <summary>Trains in seconds on a CPU; for tests and smoke runs.</summary>
    public static FftConfig TinyFft(int vocabSize, int blockSize = 32) => new()
    { VocabSize = vocabSize, EmbeddingDim = 48, Width = 32, BlockSize = blockSize, Layers = 2 };

    public static GptConfig TinyGpt(int vocabSize, int blockSize = 32) => new()
    { VocabSize = vocabSize, Width = 32, BlockSize = blockSize, Layers = 2, Heads = 4 };

    /// <summary>GPT-2-small shape (124M with V=50257 and tied weights; untied here) for GPU benchmarks.</summary>
    public static GptConfig GptSmall(int vocabSize = 50304) => new()
    { VocabSize = vocabSize, Width = 768, BlockSize = 1024, Layers = 12, Heads = 12 };

    public static ModelConfig ByName(string name, int vocabSize) => name switch
    {
        "paper-llm" => PaperLlm(vocabSize),
        "paper-slm" => PaperSlm(vocabSize),
        "tiny-fft" => TinyFft(vocabSize),
        "tiny-gpt" => TinyGpt(vocabSize),
        "gpt-small" => GptSmall(vocabSize),
        _ => throw new ArgumentException($"Unknown model preset '{name}'. Known: {string.Join(", ", Names)}.", nameof(name)),
    };

    public static IReadOnlyList<string> Names { get; } = ["paper-llm", "paper-slm", "tiny-fft", "tiny-gpt", "gpt-small"];
}
