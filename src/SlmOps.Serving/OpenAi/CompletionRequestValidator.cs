using System.Text.Json;

namespace SlmOps.Serving.OpenAi;

/// <summary>Checks a completion request and turns it into this server's generate request; every refusal names its parameter.</summary>
public static class CompletionRequestValidator
{
    /// <summary>The request as a generate request (without task/alias: the model catalogue resolves <c>model</c>), or the first problem.</summary>
    public static (GenerateRequest? Request, string? Param, string? Message) Check(CompletionRequest sent, ServingOptions options)
    {
        if (string.IsNullOrWhiteSpace(sent.Model))
            return Refuse("model", "model is required: task@alias, task@version, a task (its production alias) or a base model name; GET /v1/models lists them.");
        var prompt = PromptOf(sent.Prompt);
        if (prompt is null)
            return Refuse("prompt", "prompt must be a non-empty string (or an array holding one string).");
        if (sent.N is { } n && n != 1) return Refuse("n", $"n must be 1: this server returns one completion per request; got {n}.");
        if (sent.BestOf is { } best && best != 1) return Refuse("best_of", $"best_of must be 1; got {best}.");
        if (sent.Echo == true) return Refuse("echo", "echo is not supported; the prompt is not repeated in the completion.");
        if (sent.Logprobs is not null) return Refuse("logprobs", "logprobs are not supported.");
        if (sent.Stop.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
            return Refuse("stop", "stop sequences are not supported; generation ends at max_tokens.");
        if (sent.Suffix is not null) return Refuse("suffix", "suffix is not supported.");
        if (sent.MaxTokens is { } max && (max < 1 || max > options.MaxTokens))
            return Refuse("max_tokens", $"max_tokens must be between 1 and {options.MaxTokens}; got {max}.");
        if (sent.Temperature is { } t && (t < 0 || !double.IsFinite(t)))
            return Refuse("temperature", $"temperature must be 0 (greedy) or more; got {t}.");
        if (sent.TopP is { } p && (p <= 0 || p > 1 || !double.IsFinite(p)))
            return Refuse("top_p", $"top_p must be more than 0 and at most 1; got {p}.");
        if (sent.TopK is < 0) return Refuse("top_k", $"top_k must be 0 (no limit) or more; got {sent.TopK}.");
        return (new GenerateRequest
        {
            Prompt = prompt,
            // OpenAI's default for completions.
            MaxTokens = sent.MaxTokens ?? Math.Min(16, options.MaxTokens),
            Temperature = sent.Temperature,
            TopK = sent.TopK,
            TopP = sent.TopP,
            Seed = sent.Seed is { } seed ? unchecked((ulong)seed) : null,
        }, null, null);
    }

    private static string? PromptOf(JsonElement prompt) => prompt.ValueKind switch
    {
        JsonValueKind.String when prompt.GetString() is { Length: > 0 } text => text,
        JsonValueKind.Array when prompt.GetArrayLength() == 1 && prompt[0].ValueKind == JsonValueKind.String
            && prompt[0].GetString() is { Length: > 0 } text => text,
        _ => null,
    };

    private static (GenerateRequest?, string?, string?) Refuse(string param, string message) => (null, param, message);
}
