namespace SlmOps.TestSupport;

/// <summary>The RFC 7807 fields the tests read.</summary>
public sealed record Problem(string? Type, string? Title, int? Status, string? Detail);
