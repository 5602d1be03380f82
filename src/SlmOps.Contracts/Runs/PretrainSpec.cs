using System.Text.Json;

namespace SlmOps.Contracts.Runs;

/// <summary>The config of a TrainBaseModel run: pretrain an LLM on a prepared dataset version.</summary>
public sealed record PretrainSpec
{
    public long DatasetVersionId { get; init; }

    /// <summary>The registry name of the base model the result becomes a version of.</summary>
    public string BaseModelName { get; init; } = "";

    /// <summary>A Modeling preset name (tiny-fft, tiny-gpt, paper-llm, gpt-small); the vocabulary comes from the tokenizer.</summary>
    public string? Preset { get; init; }

    /// <summary>Or a full Modeling ModelConfig object (with its "architecture" discriminator); wins over Preset.</summary>
    public JsonElement? Model { get; init; }

    public TrainingSpec Training { get; init; } = new();

    /// <summary>Data-parallel ranks; null or worldSize 1 trains on one device.</summary>
    public DistributedSpec? Distributed { get; init; }
}
