using System.Diagnostics;

namespace SlmOps.Serving;

/// <summary>
/// One generate request: resolves the task's alias or version through the registry on every request (so a moved
/// alias takes effect on the next one, with no restart), then hands the version to the process-wide
/// <see cref="SlmServer"/>.
/// </summary>
public sealed class GenerationService(SlmVersionResolver resolver, TeamAccess teams, SlmServer server)
{
    /// <param name="caller">Reads only task models it may see (its team's, and those shared with its team); another team's
    /// unshared task model answers as unknown (404), so names do not leak.</param>
    public async Task<GenerateResponse> GenerateAsync(TeamCaller caller, GenerateRequest request, CancellationToken ct, Func<StreamedToken, Task>? onToken = null)
    {
        var started = Stopwatch.GetTimestamp();
        var task = request.Task!.Trim();
        if (await teams.TaskModelAsync(caller, TeamRight.Read, task, ct) is { Allowed: false }) throw SlmVersionResolver.TaskNotFound(task);
        var resolved = await resolver.ResolveAsync(task, request.Alias?.Trim(), request.Version, ct);
        return await server.ServeAsync(resolved, request, started, ct, onToken);
    }
}
