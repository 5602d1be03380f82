namespace SlmOps.Contracts.Workers;

/// <summary>
/// The routes of the web host's worker endpoints, in one place for the server that maps them and the worker's
/// client that calls them. Every route needs a worker key (or an admin key).
/// </summary>
public static class WorkerApi
{
    public const string Base = "/api/v1/worker";
    public const string Whoami = Base + "/whoami";
    public const string Presence = Base + "/presence";
    public static string Claim(Guid runId) => $"{Base}/runs/{runId}/claim";
    public static string ClaimRank(Guid runId, int rank) => $"{Base}/runs/{runId}/ranks/{rank}/claim";
    public static string Gang(Guid runId) => $"{Base}/runs/{runId}/gang";
    public static string Heartbeat(Guid runId) => $"{Base}/runs/{runId}/heartbeat";
    public static string Checkpoint(Guid runId) => $"{Base}/runs/{runId}/checkpoint";
    public static string Outcome(Guid runId) => $"{Base}/runs/{runId}/outcome";
    public static string Artifact(string sha256) => $"/api/v1/artifacts/{sha256}";
}
