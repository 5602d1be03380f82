using System.Text.Json;
using SlmOps.Web.Components.Pages.Registry;
using SlmOps.Web.Registry;
using SlmOps.Web.Teams;

namespace SlmOps.Web.ComponentTests.Fakes;

/// <summary>
/// One task model ("support") with versions 1 and 2, production on version 1; the gate answers <see cref="Gate"/>
/// and alias moves are recorded.
/// </summary>
public sealed class FakeRegistryData : IRegistryData
{
    public sealed record Promotion(string Task, string Alias, SetAliasRequest Request, string Actor);

    private static readonly JsonElement NoMetrics = JsonDocument.Parse("{}").RootElement.Clone();

    public List<(string Alias, int Version)> GateChecks { get; } = [];

    /// <summary>The team that owns "support".</summary>
    public string Team { get; set; } = "default";
    public List<Promotion> Promotions { get; } = [];

    /// <summary>The gate's verdict for an alias and version; by default version 2 is worse than production's version 1.</summary>
    public Func<string, int, GateResultDto> Gate { get; set; } = (alias, version) => Verdict(alias, version, passes: false);

    public static GateResultDto Verdict(string alias, int version, bool passes) => new(
        "support", alias, Gated: alias == PromotionGate.GatedAlias, passes,
        passes ? "The candidate's val_loss is no worse than production's." : "val_loss 2.5000 is worse than production's 2.0000 on dataset version 5.",
        new GateSideDto(version, 100 + version, 2.5, 5, NoMetrics), new GateSideDto(1, 101, 2.0, 5, NoMetrics), 5);

    public Task<RegistryView> LoadAsync(TeamCaller caller, string? task, string? team = null)
    {
        var versions = new[] { Version(2, []), Version(1, [PromotionGate.GatedAlias]) };
        var aliases = new Dictionary<string, int> { [PromotionGate.GatedAlias] = 1 };
        var summary = new TaskModelDto("support", Team, null, "tester", DateTimeOffset.UtcNow, 2, versions[0], aliases);
        var detail = new TaskModelDetailDto("support", Team, null, "tester", DateTimeOffset.UtcNow, versions, aliases);
        var alias = new AliasDto("support", PromotionGate.GatedAlias, 1, 101, "tester", DateTimeOffset.UtcNow);
        return Task.FromResult(new RegistryView([summary], task is null or "support" ? detail : null, [alias], []));
    }

    public Task<GateResultDto> CheckGateAsync(TeamCaller caller, string task, string alias, int version)
    {
        GateChecks.Add((alias, version));
        return Task.FromResult(Gate(alias, version));
    }

    public Task<AliasDto> PromoteAsync(string task, string alias, SetAliasRequest request, TeamCaller caller)
    {
        Promotions.Add(new Promotion(task, alias, request, caller.Name));
        return Task.FromResult(new AliasDto(task, alias, request.Version ?? 0, 100 + (request.Version ?? 0), caller.Name, DateTimeOffset.UtcNow));
    }

    public Task<AliasDto> RollbackAsync(string task, string alias, string? reason, TeamCaller caller) =>
        Task.FromResult(new AliasDto(task, alias, 1, 101, caller.Name, DateTimeOffset.UtcNow));

    private static SlmVersionDto Version(int version, IReadOnlyList<string> aliases) => new(
        "support", version, 100 + version, new BaseModelRefDto("llm", 1, 3), "tokens", NoMetrics, 1000, new DatasetRefDto("corpus", 2, 5),
        null, NoMetrics, new string('a', 64), "tester", DateTimeOffset.UtcNow, aliases);
}
