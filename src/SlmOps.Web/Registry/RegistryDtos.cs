using System.Text.Json;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Registry;

/// <summary>A base model (LLM family) with its newest version; <c>Team</c> is the platform team, which owns every base model.</summary>
public sealed record BaseModelDto(
    string Name, string Team, string? Description, string CreatedBy, DateTimeOffset CreatedAt, int VersionCount, BaseModelVersionDto? Latest);

/// <summary>A base model with all its versions, newest first; <c>Team</c> is the platform team.</summary>
public sealed record BaseModelDetailDto(
    string Name, string Team, string? Description, string CreatedBy, DateTimeOffset CreatedAt, IReadOnlyList<BaseModelVersionDto> Versions);

/// <summary>One immutable, registered LLM.</summary>
public sealed record BaseModelVersionDto(
    string BaseModel, int Version, long Id, string ArchitectureKind, JsonElement Architecture, long ParameterCount,
    string WeightsSha256, string TokenizerSha256, Guid? RunId, JsonElement Evaluation, string CreatedBy, DateTimeOffset CreatedAt)
{
    public static BaseModelVersionDto From(string baseModel, BaseModelVersion v) => new(
        baseModel, v.Version, v.Id, RegistryJson.Name(v.ArchitectureKind), RegistryJson.Parse(v.Architecture), v.ParameterCount,
        v.WeightsSha256, v.TokenizerSha256, v.RunId, RegistryJson.Parse(v.EvaluationMetrics), v.CreatedBy, v.CreatedAt);
}

/// <summary>A task model with its owning team, its newest version and where its aliases point.</summary>
public sealed record TaskModelDto(
    string Name, string Team, string? Description, string CreatedBy, DateTimeOffset CreatedAt, int VersionCount, SlmVersionDto? Latest,
    IReadOnlyDictionary<string, int> Aliases);

/// <summary>A task model with its owning team and all its versions, newest first.</summary>
public sealed record TaskModelDetailDto(
    string Name, string Team, string? Description, string CreatedBy, DateTimeOffset CreatedAt, IReadOnlyList<SlmVersionDto> Versions,
    IReadOnlyDictionary<string, int> Aliases);

/// <summary>The base model version an SLM follows.</summary>
public sealed record BaseModelRefDto(string Name, int Version, long Id);

/// <summary>The dataset version an SLM was trained on.</summary>
public sealed record DatasetRefDto(string Name, int Version, long Id);

/// <summary>One immutable SLM version of a task model.</summary>
public sealed record SlmVersionDto(
    string Task, int Version, long Id, BaseModelRefDto BaseModel, string CouplingMode, JsonElement Architecture,
    long ParameterCount, DatasetRefDto? Dataset, Guid? RunId, JsonElement EvaluationMetrics, string WeightsSha256,
    string CreatedBy, DateTimeOffset CreatedAt, IReadOnlyList<string> Aliases);

/// <summary>Where an alias points now.</summary>
public sealed record AliasDto(string Task, string Name, int Version, long SlmVersionId, string UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>One move of an alias; versions are null where the version was deleted or there was none.</summary>
public sealed record AliasHistoryDto(
    long Id, string Alias, string Action, int? FromVersion, int? ToVersion, bool Forced, string Actor, string? Reason, DateTimeOffset At);
