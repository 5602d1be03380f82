using System.Net;
using System.Net.Http.Json;
using SlmOps.Artifacts;
using SlmOps.Contracts.Runs;
using SlmOps.Contracts.Workers;

namespace SlmOps.Worker.Tracking;

/// <summary>
/// The worker's only way to change what PostgreSQL records: calls to the web host's worker endpoints. Transient
/// failures (connection, 502/503/504) are retried with backoff; every call is idempotent on the server, so a retry
/// after a lost answer is safe. A 404 means the run does not exist: <see cref="UnknownRunException"/>.
/// </summary>
public sealed class TrackingClient(HttpClient http)
{
    public Task<WhoAmI> WhoAmIAsync(CancellationToken ct) => GetAsync<WhoAmI>(WorkerApi.Whoami, ct);

    /// <summary>One try, no retries: the next report follows in a few seconds anyway.</summary>
    public async Task PresenceAsync(WorkerPresence presence, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(WorkerApi.Presence, presence, RunSpecJson.Options, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"presence answered {(int)response.StatusCode}: {await ProblemText.ReadAsync(response, ct)}", null, response.StatusCode);
    }

    public Task<RunClaimResponse> ClaimAsync(Guid runId, RunClaimRequest request, CancellationToken ct) =>
        PostAsync<RunClaimRequest, RunClaimResponse>(runId, WorkerApi.Claim(runId), request, ct);

    public Task<RunClaimResponse> ClaimRankAsync(Guid runId, int rank, RunClaimRequest request, CancellationToken ct) =>
        PostAsync<RunClaimRequest, RunClaimResponse>(runId, WorkerApi.ClaimRank(runId, rank), request, ct);

    public Task<GangState> GangAsync(Guid runId, GangReport report, CancellationToken ct) =>
        PostAsync<GangReport, GangState>(runId, WorkerApi.Gang(runId), report, ct);

    public Task<RunHeartbeatResponse> HeartbeatAsync(Guid runId, RunHeartbeat beat, CancellationToken ct) =>
        PostAsync<RunHeartbeat, RunHeartbeatResponse>(runId, WorkerApi.Heartbeat(runId), beat, ct);

    public async Task CheckpointAsync(Guid runId, RunCheckpointReport report, CancellationToken ct)
    {
        using var response = await SendAsync(() => http.PostAsJsonAsync(WorkerApi.Checkpoint(runId), report, RunSpecJson.Options, ct), ct);
        await EnsureAsync(runId, response, "checkpoint", ct);
    }

    /// <returns>Null when the attempt no longer holds the run (409): its outcome was not recorded.</returns>
    public async Task<RunOutcomeResponse?> OutcomeAsync(Guid runId, RunOutcome outcome, CancellationToken ct)
    {
        using var response = await SendAsync(() => http.PostAsJsonAsync(WorkerApi.Outcome(runId), outcome, RunSpecJson.Options, ct), ct);
        if (response.StatusCode == HttpStatusCode.Conflict) return null;
        await EnsureAsync(runId, response, "outcome", ct);
        return await response.Content.ReadFromJsonAsync<RunOutcomeResponse>(RunSpecJson.Options, ct);
    }

    private async Task<TResponse> PostAsync<TRequest, TResponse>(Guid runId, string path, TRequest body, CancellationToken ct)
    {
        using var response = await SendAsync(() => http.PostAsJsonAsync(path, body, RunSpecJson.Options, ct), ct);
        await EnsureAsync(runId, response, path, ct);
        return await response.Content.ReadFromJsonAsync<TResponse>(RunSpecJson.Options, ct)
            ?? throw new InvalidDataException($"{path} answered an empty body.");
    }

    private async Task<T> GetAsync<T>(string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, ct);
        return await ProblemText.ReadJsonAsync<T>(response, "GET " + path, ct);
    }

    private static Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send, CancellationToken ct) => Transient.RetryAsync(send, Transient.Attempts, ct);

    private static async Task EnsureAsync(Guid runId, HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var detail = await ProblemText.ReadAsync(response, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) throw new UnknownRunException(runId, detail);
        throw new HttpRequestException($"{what} answered {(int)response.StatusCode}: {detail}", null, response.StatusCode);
    }
}

public sealed record WhoAmI(string Name, string Role);

/// <summary>The web host knows no run with this id: the message is stale or from another deployment.</summary>
public sealed class UnknownRunException(Guid runId, string detail) : Exception($"Run {runId} is unknown to the web host: {detail}");
