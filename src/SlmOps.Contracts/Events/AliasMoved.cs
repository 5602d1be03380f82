namespace SlmOps.Contracts.Events;

/// <summary>
/// Published by the web instance that changed an alias, so every web instance of the same deployment can load the
/// version the alias now names before a request asks for it. <see cref="Deployment"/> names the registry database the
/// change was made in: an instance on another database (another deployment or test on the same broker) ignores it.
/// </summary>
/// <param name="SlmVersionId">The version the alias now names; null when the alias was deleted.</param>
public sealed record AliasMoved(
    string Deployment,
    string Task,
    string Alias,
    int? FromVersion,
    int? ToVersion,
    long? SlmVersionId,
    DateTimeOffset At);
