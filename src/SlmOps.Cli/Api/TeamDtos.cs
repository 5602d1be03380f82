namespace SlmOps.Cli.Api;

public sealed record Team(string Name, string? Description, bool Platform, int? MaxRunningRuns, int? MaxQueuedRuns, string CreatedBy, DateTimeOffset CreatedAt);

public sealed record TeamHoldings(int Datasets, int Runs, int TaskModels, int ApiKeys, int Webhooks);

public sealed record TeamMember(string Prefix, string Name, string Role, bool Active);

public sealed record TeamDetail(Team Team, TeamHoldings Holdings, IReadOnlyList<TeamMember>? Members);

public sealed record Share(string Kind, string Object, string OwnerTeam, string Team, string CreatedBy, DateTimeOffset CreatedAt);
