using SlmOps.Contracts;

namespace SlmOps.Cli.Client;

/// <summary>The CLI's short run-kind words and the API's names for them.</summary>
public static class RunKinds
{
    public static readonly IReadOnlyDictionary<string, RunKind> ByWord = new Dictionary<string, RunKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["prepare"] = RunKind.PrepareDataset,
        ["pretrain"] = RunKind.TrainBaseModel,
        ["finetune"] = RunKind.TrainTaskModel,
        ["evaluate"] = RunKind.Evaluate,
    };

    /// <summary>A short word (pretrain) or an API name (TrainBaseModel).</summary>
    public static RunKind Parse(string text) =>
        ByWord.TryGetValue(text, out var kind) ? kind
        : Enum.TryParse<RunKind>(text, ignoreCase: true, out kind) ? kind
        : throw new ArgumentException($"Unknown run kind '{text}'; use one of: {string.Join(", ", ByWord.Keys)}.");

    /// <summary>The short word, or the API name in lower case for a kind submitted elsewhere (a sweep: `slmops sweeps submit`).</summary>
    public static string Word(RunKind kind) => ByWord.FirstOrDefault(p => p.Value == kind).Key ?? kind.ToString().ToLowerInvariant();
}
