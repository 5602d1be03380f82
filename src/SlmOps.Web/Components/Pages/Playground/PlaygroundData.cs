using SlmOps.Web.Components.Shared;
using SlmOps.Web.Registry;
using SlmOps.Web.Serving;

namespace SlmOps.Web.Components.Pages.Playground;

/// <summary>What the playground reads and calls: the task models to pick from, and generation.</summary>
public interface IPlaygroundData
{
    Task<IReadOnlyList<TaskModelDto>> ListTasksAsync();

    /// <summary>Throws <see cref="RegistryException"/>, <see cref="ServingException"/> and the model-file errors the page explains.</summary>
    Task<GenerateResponse> GenerateAsync(GenerateRequest request);
}

/// <summary>The registry on PostgreSQL and the in-process <see cref="GenerationService"/>, one DI scope per call.</summary>
public sealed class PlaygroundData(DashboardScope scope) : IPlaygroundData
{
    public Task<IReadOnlyList<TaskModelDto>> ListTasksAsync() =>
        scope.RunAsync(services => services.GetRequiredService<TaskModelQueries>().ListAsync(CancellationToken.None));

    public Task<GenerateResponse> GenerateAsync(GenerateRequest request) =>
        scope.RunAsync(services => services.GetRequiredService<GenerationService>().GenerateAsync(request, CancellationToken.None));
}
