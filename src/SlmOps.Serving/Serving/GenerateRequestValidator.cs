namespace SlmOps.Serving;

/// <summary>The checks that need no model: every problem found, each phrased as what to send instead.</summary>
public static class GenerateRequestValidator
{
    public const int MaxPromptCharacters = 20_000;

    public static IReadOnlyList<string> Errors(GenerateRequest request, ServingOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(request.Task))
            errors.Add("task is required: the task model's name (GET /api/v1/task-models lists them).");
        if (request.Alias is not null && request.Version is not null)
            errors.Add($"Send either alias or version, not both (got alias '{request.Alias}' and version {request.Version}).");
        if (request.Version is < 1)
            errors.Add($"version must be 1 or more; got {request.Version}.");
        if (string.IsNullOrWhiteSpace(request.Prompt))
            errors.Add("prompt is empty: send at least one character of text to continue.");
        else if (request.Prompt.Length > MaxPromptCharacters)
            errors.Add($"prompt has {request.Prompt.Length:N0} characters; send at most {MaxPromptCharacters:N0} (only the last window of tokens is read anyway).");
        if (request.MaxTokens is { } max && (max < 1 || max > options.MaxTokens))
            errors.Add($"maxTokens must be between 1 and {options.MaxTokens} (Serving:MaxTokens); got {max}.");
        if (request.Temperature is { } t && (t < 0 || !double.IsFinite(t)))
            errors.Add($"temperature must be 0 (greedy) or more; got {t}.");
        if (request.TopK is < 0)
            errors.Add($"topK must be 0 (no limit) or more; got {request.TopK}.");
        if (request.TopP is { } p && (p <= 0 || p > 1 || !double.IsFinite(p)))
            errors.Add($"topP must be more than 0 and at most 1; got {p}.");
        return errors;
    }
}
