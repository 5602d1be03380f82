using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace SlmOps.Web.Registry;

/// <summary>
/// Answers a <see cref="RegistryException"/> thrown anywhere (registry API, serving, dashboard endpoints) with the
/// problem details it describes, instead of the generic 500.
/// </summary>
internal sealed class RegistryExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not RegistryException registry) return false;
        context.Response.StatusCode = registry.Status;
        var details = new ProblemDetails { Status = registry.Status, Title = registry.Title, Detail = registry.Message };
        foreach (var (key, value) in registry.Details) details.Extensions[key] = value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details });
    }
}
