namespace SlmOps.Cli.Api;

/// <summary>POST /api/v1/generate (camelCase on the wire, like every endpoint).</summary>
public sealed record GenerateRequest(
    string Task, string? Alias, int? Version, string Prompt, int? MaxTokens, double? Temperature, int? TopK, ulong? Seed, bool? Compare);

public sealed record GenerateResponse(
    string Task, int Version, string? Alias, string BaseModel, string Text, int Tokens, double TokensPerSecond, double ElapsedMs,
    ulong Seed, string SlmCache, LlmAloneResult? LlmAlone);

public sealed record LlmAloneResult(string Text, int Tokens, double TokensPerSecond);
