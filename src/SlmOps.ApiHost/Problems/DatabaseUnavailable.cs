using System.Net.Sockets;
using Npgsql;

namespace SlmOps.ApiHost.Problems;

/// <summary>
/// Recognizes an error that means PostgreSQL cannot be reached (refused, reset, timed out, shutting down, out of
/// connections) anywhere in an exception's chain, and says so: a 503 the client may retry, not a 500 bug.
/// </summary>
public static class DatabaseUnavailable
{
    public const int RetryAfterSeconds = 10;
    public const string Title = "Database unavailable";

    public static bool IsCause(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException { IsTransient: true }) return true;
            // Npgsql wraps connect failures, but a pool that cannot open says so with the socket error inside.
            if (current is NpgsqlException { InnerException: SocketException or TimeoutException }) return true;
            if (current is AggregateException aggregate && aggregate.InnerExceptions.Any(IsCause)) return true;
        }
        return false;
    }

    public static string Detail(HttpRequest request, string traceId) =>
        $"{request.Method} {request.Path} needs the database (PostgreSQL), which is unavailable right now. " +
        $"Retry in {RetryAfterSeconds} seconds; GET /health/ready shows which dependency is down. Trace id {traceId}.";
}
