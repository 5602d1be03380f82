using SlmOps.Web.Components.Shared;
using SlmOps.Web.Registry;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Components.Pages.Registry;

/// <summary>What the registry page shows for one selection: all task models, and the chosen one's detail, aliases and audit trail.</summary>
public sealed record RegistryView(
    IReadOnlyList<TaskModelDto> Tasks, TaskModelDetailDto? Task, IReadOnlyList<AliasDto> Aliases, IReadOnlyList<AuditEntryDto> Audit);

/// <summary>What the registry page reads and changes; the changes go through <see cref="AliasService"/> (gate, lock, audit).</summary>
public interface IRegistryData
{
    /// <summary>
    /// The task models <paramref name="caller"/> sees (of <paramref name="team"/> when given) and the named one (the first
    /// when null); Task is null when no task of that name is among them.
    /// </summary>
    Task<RegistryView> LoadAsync(TeamCaller caller, string? task, string? team = null);

    /// <summary>The gate's verdict for moving the alias to the version; changes nothing. Throws <see cref="RegistryException"/>.</summary>
    Task<GateResultDto> CheckGateAsync(TeamCaller caller, string task, string alias, int version);

    Task<AliasDto> PromoteAsync(string task, string alias, SetAliasRequest request, TeamCaller caller);

    Task<AliasDto> RollbackAsync(string task, string alias, string? reason, TeamCaller caller);
}

/// <summary>The registry on PostgreSQL, one DI scope per call.</summary>
public sealed class RegistryData(DashboardScope scope) : IRegistryData
{
    public Task<RegistryView> LoadAsync(TeamCaller caller, string? task, string? team = null) => scope.RunAsync(async services =>
    {
        var queries = services.GetRequiredService<TaskModelQueries>();
        var tasks = await queries.ListAsync(caller, CancellationToken.None, team);
        var name = task ?? tasks.FirstOrDefault()?.Name;
        if (name is null || tasks.All(t => t.Name != name)) return new RegistryView(tasks, null, [], []);
        var detail = await queries.GetAsync(caller, name, CancellationToken.None);
        var aliases = await services.GetRequiredService<AliasService>().ListAsync(caller, name, CancellationToken.None);
        var audit = await services.GetRequiredService<AuditQueries>().ListAsync(caller, new AuditFilter(Task: name, Limit: 100), CancellationToken.None);
        return new RegistryView(tasks, detail, aliases, audit.Items);
    });

    public Task<GateResultDto> CheckGateAsync(TeamCaller caller, string task, string alias, int version) =>
        scope.RunAsync(services => services.GetRequiredService<AliasService>().CheckGateAsync(caller, task, alias, version, CancellationToken.None));

    public Task<AliasDto> PromoteAsync(string task, string alias, SetAliasRequest request, TeamCaller caller) =>
        scope.RunAsync(services => services.GetRequiredService<AliasService>().SetAsync(task, alias, request, caller, CancellationToken.None));

    public Task<AliasDto> RollbackAsync(string task, string alias, string? reason, TeamCaller caller) =>
        scope.RunAsync(services => services.GetRequiredService<AliasService>().RollbackAsync(task, alias, reason, caller, CancellationToken.None));
}
