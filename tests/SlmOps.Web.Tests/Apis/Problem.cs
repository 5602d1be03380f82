namespace SlmOps.Web.Tests.Apis;

/// <summary>The RFC 7807 fields the tests read.</summary>
public sealed record Problem(string? Type, string? Title, int? Status, string? Detail);
