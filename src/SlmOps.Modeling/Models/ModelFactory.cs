using SlmOps.Modeling.Architectures;

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
    /// A module whose values a checkpoint will overwrite at once: the fft time-mixing matrices are not drawn (the
    /// costliest part of its init). Linear and Embedding layers still draw theirs; SlmOps.Torch has no way to skip that.
    /// Every parameter must be loaded before use.
    /// </summary>
    public static LanguageModel CreateForLoading(ModelConfig config) => config switch
    {
        FftConfig fft => new FftLanguageModel(fft, initialize: false),
        _ => Create(config),
    };
}
