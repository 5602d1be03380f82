using SlmOps.Web.Components.Shared;
using SlmOps.Web.Registry;
using SlmOps.Web.Serving;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Components.Pages.Playground;

/// <summary>What the playground reads and calls: the task models to pick from, and generation.</summary>
public interface IPlaygroundData
{
    /// <summary>The task models <paramref name="caller"/> sees (its team's and those shared with it).</summary>
    Task<IReadOnlyList<TaskModelDto>> ListTasksAsync(TeamCaller caller);

    /// <summary>
    /// Generates with a task model <paramref name="caller"/> sees (another team's unshared task reads as unknown). Throws
    /// <see cref="RegistryException"/>, <see cref="ServingException"/> and the model-file errors the page explains.
    /// </summary>
    Task<GenerateResponse> GenerateAsync(TeamCaller caller, GenerateRequest request);
}

/// <summary>The registry on PostgreSQL and the in-process <see cref="GenerationService"/>, one DI scope per call.</summary>
public sealed class PlaygroundData(DashboardScope scope) : IPlaygroundData
{
    public Task<IReadOnlyList<TaskModelDto>> ListTasksAsync(TeamCaller caller) =>
        scope.RunAsync(services => services.GetRequiredService<TaskModelQueries>().ListAsync(caller, CancellationToken.None));

    public Task<GenerateResponse> GenerateAsync(TeamCaller caller, GenerateRequest request) => scope.RunAsync(async services =>
    {
        if (request.Task is { } task && await services.GetRequiredService<TeamAccess>().TaskModelAsync(caller, TeamRight.Read, task, CancellationToken.None)
                is { Allowed: false })
        {
            throw SlmVersionResolver.TaskNotFound(task);
        }
        return await services.GetRequiredService<GenerationService>().GenerateAsync(request, CancellationToken.None);
    });
}
