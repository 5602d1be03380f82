using SlmOps.Contracts;
using SlmOps.Data;
using SlmOps.Web.Components.Shared;
using SlmOps.Web.Runs;

namespace SlmOps.Web.Components.Pages.NewRun;

/// <summary>What the new-run page reads and writes: the pickers' choices, the run a clone starts from, the submission.</summary>
public interface INewRunData
{
    Task<NewRunChoices> LoadChoicesAsync();

    Task<RunDto?> GetRunAsync(Guid id);

    /// <summary>Validates and records the run, then dispatches it (<see cref="RunSubmission"/>).</summary>
    Task<RunSubmissionResult> SubmitAsync(RunKind kind, SubmitRunRequest request, Guid? clonedFrom, string actor);
}

/// <summary>The page's data on PostgreSQL, one DI scope per call.</summary>
public sealed class NewRunData(DashboardScope scope) : INewRunData
{
    public Task<NewRunChoices> LoadChoicesAsync() =>
        scope.RunAsync(services => NewRunChoices.LoadAsync(services.GetRequiredService<SlmOpsDbContext>()));

    public Task<RunDto?> GetRunAsync(Guid id) => scope.RunAsync(services => services.GetRequiredService<RunQueries>().GetAsync(id));

    public Task<RunSubmissionResult> SubmitAsync(RunKind kind, SubmitRunRequest request, Guid? clonedFrom, string actor) =>
        scope.RunAsync(services => RunSubmission.SubmitAsync(kind, request, clonedFrom, actor, services.GetRequiredService<RunLimits>(),
            services.GetRequiredService<SlmOpsDbContext>(), services.GetRequiredService<IRunDispatcher>(), CancellationToken.None));
}
