using Microsoft.AspNetCore.Http;

namespace SlmOps.Data.Registry;

/// <summary>
/// A registry request that cannot be done as asked. The message says what to do instead; the status is what the
/// API answers with (RegistryExceptionHandler), so services stay free of HTTP and the dashboard can show the message.
/// </summary>
public class RegistryException(int status, string title, string message, IReadOnlyDictionary<string, object?>? details = null)
    : Exception(message)
{
    public int Status { get; } = status;
    public string Title { get; } = title;

    /// <summary>Extra fields for the problem details answer (e.g. both sides of a failed gate).</summary>
    public IReadOnlyDictionary<string, object?> Details { get; } = details ?? new Dictionary<string, object?>();
}

/// <summary>A task model, version or alias that does not exist (404).</summary>
public sealed class RegistryNotFoundException(string title, string message) : RegistryException(StatusCodes.Status404NotFound, title, message);

/// <summary>Input that can never be valid, e.g. an alias name outside [a-z0-9-]+ (400).</summary>
public sealed class RegistryBadRequestException(string message, IReadOnlyDictionary<string, object?>? details = null)
    : RegistryException(StatusCodes.Status400BadRequest, "The request is invalid", message, details);

/// <summary>A change the registry's current state refuses, e.g. a failed promotion gate (409).</summary>
public sealed class RegistryConflictException(string title, string message, IReadOnlyDictionary<string, object?>? details = null)
    : RegistryException(StatusCodes.Status409Conflict, title, message, details);
