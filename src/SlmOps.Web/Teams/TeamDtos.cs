namespace SlmOps.Web.Teams;

/// <summary>POST /api/v1/teams body; quotas are null for no limit.</summary>
public sealed record CreateTeamRequest(string? Name, string? Description, int? MaxRunningRuns = null, int? MaxQueuedRuns = null);

/// <summary>PUT /api/v1/teams/{name} body: the description and quotas, replaced as given (null: none, no limit).</summary>
public sealed record UpdateTeamRequest(string? Description, int? MaxRunningRuns, int? MaxQueuedRuns);

/// <summary>A team; <c>Platform</c>: its editors pretrain and register the base models every team follows.</summary>
public sealed record TeamDto(
    string Name, string? Description, bool Platform, int? MaxRunningRuns, int? MaxQueuedRuns, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>What a team owns (a team that owns anything cannot be deleted).</summary>
public sealed record TeamHoldingsDto(int Datasets, int Runs, int TaskModels, int ApiKeys, int Webhooks)
{
    public bool IsEmpty => Datasets + Runs + TaskModels + ApiKeys + Webhooks == 0;

    public override string ToString() => string.Join(", ", new[]
        {
            Count(Datasets, "dataset"), Count(Runs, "run"), Count(TaskModels, "task model"), Count(ApiKeys, "API key"), Count(Webhooks, "webhook"),
        }.Where(part => part.Length > 0));

    private static string Count(int n, string what) => n == 0 ? "" : $"{n} {what}{(n == 1 ? "" : "s")}";
}

/// <summary>A team with what it owns, and (to admins) its member keys.</summary>
public sealed record TeamDetailDto(TeamDto Team, TeamHoldingsDto Holdings, IReadOnlyList<TeamMemberDto>? Members);

/// <summary>A key of the team as the team's page lists it (never the secret).</summary>
public sealed record TeamMemberDto(string Prefix, string Name, string Role, bool Active);

/// <summary>A read share: <c>Team</c> may read the dataset or task model named <c>Object</c>, which <c>OwnerTeam</c> owns.</summary>
public sealed record ShareDto(string Kind, string Object, string OwnerTeam, string Team, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>POST .../shares body: the team to grant read access to.</summary>
public sealed record CreateShareRequest(string? Team);
