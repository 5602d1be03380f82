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
}
