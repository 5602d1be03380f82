using System.Diagnostics;

namespace SlmOps.Serving;

/// <summary>
/// One generate request: resolves the task's alias or version through the registry on every request (so a moved
/// alias takes effect on the next one, with no restart), then hands the version to the process-wide
/// <see cref="SlmServer"/>.
/// </summary>
public sealed class GenerationService(SlmVersionResolver resolver, SlmServer server)
{
    public async Task<GenerateResponse> GenerateAsync(GenerateRequest request, CancellationToken ct, Func<StreamedToken, Task>? onToken = null)
    {
        var started = Stopwatch.GetTimestamp();
        var resolved = await resolver.ResolveAsync(request.Task!.Trim(), request.Alias?.Trim(), request.Version, ct);
        return await server.ServeAsync(resolved, request, started, ct, onToken);
    }
}
