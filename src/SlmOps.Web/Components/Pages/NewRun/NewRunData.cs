using SlmOps.Contracts;
using SlmOps.Data;
using SlmOps.Web.Components.Shared;
using SlmOps.Web.Runs;
using SlmOps.Web.Sweeps;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Components.Pages.NewRun;

/// <summary>What the new-run page reads and writes: the pickers' choices, the run a clone starts from, the submission.</summary>
public interface INewRunData
{
    /// <summary>What <paramref name="caller"/>'s team may pick.</summary>
    Task<NewRunChoices> LoadChoicesAsync(TeamCaller caller);

    /// <summary>A run <paramref name="caller"/> sees (to clone it); null otherwise.</summary>
    Task<RunDto?> GetRunAsync(TeamCaller caller, Guid id);

    /// <summary>Validates and records the run in <paramref name="caller"/>'s team, then dispatches it (<see cref="RunSubmission"/>).</summary>
    Task<RunSubmissionResult> SubmitAsync(RunKind kind, SubmitRunRequest request, Guid? clonedFrom, TeamCaller caller);

    /// <summary>Validates and records a sweep in <paramref name="caller"/>'s team, then enqueues its scheduler (<see cref="SweepSubmission"/>).</summary>
    Task<SweepSubmissionResult> SubmitSweepAsync(SubmitRunRequest request, TeamCaller caller);
}

/// <summary>The page's data on PostgreSQL, one DI scope per call.</summary>
public sealed class NewRunData(DashboardScope scope) : INewRunData
{
    public Task<NewRunChoices> LoadChoicesAsync(TeamCaller caller) => scope.RunAsync(services =>
        NewRunChoices.LoadAsync(services.GetRequiredService<SlmOpsDbContext>(), services.GetRequiredService<TeamAccess>(), caller));

    public Task<RunDto?> GetRunAsync(TeamCaller caller, Guid id) => scope.RunAsync(services => services.GetRequiredService<RunQueries>().GetAsync(caller, id));

    public Task<RunSubmissionResult> SubmitAsync(RunKind kind, SubmitRunRequest request, Guid? clonedFrom, TeamCaller caller) =>
        scope.RunAsync(services => RunSubmission.SubmitAsync(kind, request, clonedFrom, caller, services.GetRequiredService<RunLimits>(),
            services.GetRequiredService<SlmOpsDbContext>(), services.GetRequiredService<IRunDispatcher>(), CancellationToken.None));

    public Task<SweepSubmissionResult> SubmitSweepAsync(SubmitRunRequest request, TeamCaller caller) =>
        scope.RunAsync(services => SweepSubmission.SubmitAsync(request, caller, services.GetRequiredService<SweepOptions>(), services.GetRequiredService<RunLimits>(),
            services.GetRequiredService<SlmOpsDbContext>(), services.GetRequiredService<Hangfire.IBackgroundJobClient>(), CancellationToken.None));
}
