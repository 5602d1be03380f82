using SlmOps.Web.Registry;

namespace SlmOps.Web.Components.Pages.Registry;

/// <summary>The open confirmation dialog of the registry page: a promotion (with its gate result) or a rollback.</summary>
public sealed class RegistryDialogState
{
    public required string Task { get; init; }
    public required bool IsRollback { get; init; }

    /// <summary>The version to promote (promotion only).</summary>
    public int Version { get; init; }

    public string Alias { get; set; } = PromotionGate.GatedAlias;

    /// <summary>Where the alias points now (rollback only).</summary>
    public int? CurrentVersion { get; init; }

    public GateResultDto? Gate { get; set; }
    public bool Force { get; set; }
    public string? Reason { get; set; }

    /// <summary>Why the last confirm was refused (a missing reason, a gate that failed meanwhile, ...).</summary>
    public string? Error { get; set; }

    public static RegistryDialogState Promote(string task, int version) => new() { Task = task, IsRollback = false, Version = version };

    public static RegistryDialogState Rollback(string task, AliasDto alias) =>
        new() { Task = task, IsRollback = true, Alias = alias.Name, CurrentVersion = alias.Version };
}
