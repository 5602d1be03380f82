using SlmOps.Modeling.Architectures;
using SlmOps.Torch;

namespace SlmOps.Modeling.Models;

public static class ModelFactory
{
    public static LanguageModel Create(ModelConfig config) => config switch
    {
        FftConfig fft => new FftLanguageModel(fft),
        GptConfig gpt => new GptLanguageModel(gpt),
        _ => throw new ArgumentException($"No module for architecture '{config.Architecture}'.", nameof(config)),
    };

    /// <summary>
    /// A module whose values a checkpoint will overwrite at once: nothing is drawn (Linear, Embedding and LayerNorm
    /// allocate with torch.empty inside <see cref="torch.nn.init.NoInitScope"/>, the fft time mixing skips its init).
    /// Every parameter must be loaded before use.
    /// </summary>
    public static LanguageModel CreateForLoading(ModelConfig config)
    {
        using var _ = torch.nn.init.NoInitScope();
        return config switch
        {
            FftConfig fft => new FftLanguageModel(fft, initialize: false),
            _ => Create(config),
        };
    }
}
