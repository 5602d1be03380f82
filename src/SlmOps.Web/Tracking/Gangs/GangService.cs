using Microsoft.EntityFrameworkCore;
using Npgsql;
using SlmOps.Contracts;
using SlmOps.Contracts.Runs;
using SlmOps.Contracts.Workers;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Runs;

namespace SlmOps.Web.Tracking.Gangs;

/// <summary>
/// The ranks of data-parallel runs. A worker that claims a run of world size N and runs at least N ranks itself takes
/// them all (a local gang: N rows naming it). Otherwise the run is gang-scheduled: the claiming worker takes rank 0 and
/// ranks 1..N-1 are offered on the run's queue (<see cref="Contracts.Commands.JoinGang"/>), each to be claimed by a
/// different worker; rank 0 publishes its store's address here, every rank says when it joined, and rank heartbeats
/// keep each rank alive. A gang that has not formed within <see cref="GangOptions.JoinTimeout"/> is released
/// (<see cref="ReleaseUnformedAsync"/>).
/// </summary>
public sealed class GangService(SlmOpsDbContext db, NpgsqlDataSource database, IRunDispatcher dispatcher, GangOptions options, ILogger<GangService> logger)
{
    /// <summary>Records the ranks of a claimed run's attempt; the gang assignment of rank 0, or null when the claimer runs every rank.</summary>
    public async Task<GangAssignment?> FormAsync(Run run, int attempt, RunClaimRequest request, int worldSize, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var local = request.Ranks >= worldSize;
        for (var rank = 0; rank < worldSize; rank++)
        {
            var held = local || rank == 0;
            db.RunRanks.Add(new RunRank
            {
                RunId = run.Id, Attempt = attempt, Rank = rank, WorldSize = worldSize, Local = local,
                WorkerName = held ? request.Worker : null, Device = held ? RankDevice(request.Device, local ? rank : 0) : null,
                ClaimedAt = held ? now : null, JoinedAt = local ? now : null, HeartbeatAt = held ? now : null,
            });
        }
        await db.SaveChangesAsync(ct);
        if (local) return null;

        await RunStates.LogAsync(db, run.Id, attempt, RunEventLevel.Info,
            $"Gang-scheduling {worldSize} ranks across workers ({request.Worker} runs {request.Ranks} rank{(request.Ranks == 1 ? "" : "s")} of a run itself): " +
            $"rank 0 on {request.Worker}; ranks 1..{worldSize - 1} are offered to other workers and every rank must join within {options.JoinTimeout.TotalSeconds:0} s", ct);
        for (var rank = 1; rank < worldSize; rank++) await dispatcher.DispatchRankAsync(run.Id, attempt, rank, ct);
        return Assignment(0, worldSize, options.JoinTimeout);
    }

    /// <summary>
    /// A worker claims an offered rank: the reason when it may not (null when it did), or null overall when no run has
    /// that id. A worker that already runs another rank of the gang is refused and the rank is offered again.
    /// </summary>
    public async Task<(bool Claimed, string? Reason)?> ClaimRankAsync(Guid runId, int rank, RunClaimRequest request, CancellationToken ct)
    {
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => new { r.Status, r.Attempt }).FirstOrDefaultAsync(ct);
        if (run is null) return null;
        var now = DateTimeOffset.UtcNow;
        int claimed;
        try
        {
            await using var command = database.CreateCommand(GangSql.ClaimRank);
            command.Parameters.AddWithValue("runId", runId);
            command.Parameters.AddWithValue("attempt", request.Attempt);
            command.Parameters.AddWithValue("rank", rank);
            command.Parameters.AddWithValue("worker", request.Worker);
            command.Parameters.AddWithValue("device", RankDevice(request.Device, 0));
            command.Parameters.AddWithValue("now", now);
            claimed = await command.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            claimed = 0; // the same worker claimed another rank of the attempt at the same moment
        }
        if (claimed == 1)
        {
            await WorkerNodes.SeenAsync(db, request.Worker, runId, now, ct, request.Device, request.Slots);
            await RunStates.LogAsync(db, runId, request.Attempt, RunEventLevel.Info, $"Rank {rank} claimed by {request.Worker} ({request.Device})", ct);
            return (true, null);
        }

        var rows = await RanksAsync(db, runId, request.Attempt, ct);
        var offered = rows.FirstOrDefault(k => k.Rank == rank);
        if (offered is { WorkerName: null } && rows.FirstOrDefault(k => k.WorkerName == request.Worker) is { } mine
            && run.Status == RunStatus.Running && run.Attempt == request.Attempt)
        {
            await dispatcher.DispatchRankAsync(runId, request.Attempt, rank, ct);
            return (false, $"{request.Worker} already runs rank {mine.Rank} of this gang; rank {rank} is offered again to another worker");
        }
        return (false, offered is { WorkerName: { } holder }
            ? $"rank {rank} of attempt {request.Attempt} is already held by {holder}"
            : $"the run is {run.Status} at attempt {run.Attempt}; rank {rank} of attempt {request.Attempt} is no longer offered (a stale delivery)");
    }

    /// <summary>What is left of the join timeout of a gang's attempt (counted from rank 0's claim).</summary>
    public async Task<TimeSpan> JoinTimeLeftAsync(Guid runId, int attempt, CancellationToken ct)
    {
        var start = await db.RunRanks.AsNoTracking().Where(k => k.RunId == runId && k.Attempt == attempt && k.Rank == 0)
            .Select(k => k.ClaimedAt).FirstOrDefaultAsync(ct);
        return start is { } s ? s + options.JoinTimeout - DateTimeOffset.UtcNow : TimeSpan.Zero;
    }

    /// <summary>Rank 0's store address and each rank's join; answers the gang's state. Null when no run has that id.</summary>
    public async Task<GangState?> ReportAsync(Guid runId, GangReport report, CancellationToken ct)
    {
        if (!await db.Runs.AnyAsync(r => r.Id == runId, ct)) return null;
        var now = DateTimeOffset.UtcNow;
        var mine = db.RunRanks.Where(k => k.RunId == runId && k.Attempt == report.Attempt && k.Rank == report.Rank && k.WorkerName == report.Worker
                                          && db.Runs.Any(r => r.Id == runId && r.Status == RunStatus.Running && r.Attempt == report.Attempt));
        if (report.StoreAddress is { Length: > 0 } address && report.Rank == 0)
            await mine.ExecuteUpdateAsync(s => s.SetProperty(k => k.StoreAddress, address), ct);
        if (report.Joined) await JoinAsync(runId, report.Attempt, mine, now, ct);

        var holds = await mine.AnyAsync(ct);
        var root = await db.RunRanks.AsNoTracking().FirstOrDefaultAsync(k => k.RunId == runId && k.Attempt == report.Attempt && k.Rank == 0, ct);
        var left = root?.ClaimedAt is { } start ? (start + options.JoinTimeout - now).TotalSeconds : 0;
        return new GangState(holds, root?.StoreAddress, Math.Max(0, left));
    }

    /// <summary>A heartbeat of rank &gt; 0: true while that rank of the attempt is still this worker's.</summary>
    public async Task<bool> BeatRankAsync(Guid runId, RunHeartbeat beat, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var holds = await db.RunRanks
            .Where(k => k.RunId == runId && k.Attempt == beat.Attempt && k.Rank == beat.Rank && k.WorkerName == beat.Worker
                        && db.Runs.Any(r => r.Id == runId && r.Status == RunStatus.Running && r.Attempt == beat.Attempt))
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.HeartbeatAt, now), ct) == 1;
        if (holds) await WorkerNodes.SeenAsync(db, beat.Worker, runId, now, ct);
        return holds;
    }

    /// <summary>
    /// Releases gangs that have not formed: all whose rank 0 claimed more than the join timeout ago, or (with
    /// <paramref name="runId"/>) that run's attempt now. Returns the runs put back in Queued; the caller dispatches them.
    /// </summary>
    public Task<List<Guid>> ReleaseUnformedAsync(string why, CancellationToken ct, Guid? runId = null, int attempt = 0) =>
        ReleaseUnformedAsync(database, options, why, ct, runId, attempt);

    internal static async Task<List<Guid>> ReleaseUnformedAsync(NpgsqlDataSource database, GangOptions options, string why, CancellationToken ct, Guid? runId = null, int attempt = 0)
    {
        var now = DateTimeOffset.UtcNow;
        await using var command = database.CreateCommand(GangSql.ReleaseUnformed);
        command.Parameters.AddWithValue("cutoff", runId is null ? now - options.JoinTimeout : now.AddSeconds(1));
        command.Parameters.Add(new NpgsqlParameter("runId", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)runId ?? DBNull.Value });
        command.Parameters.AddWithValue("attempt", attempt);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("why", why);
        var released = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) released.Add(reader.GetGuid(0));
        return released;
    }

    /// <summary>The ranks of a run's attempt, for the run's page and DTO.</summary>
    public static async Task<IReadOnlyList<RunRank>> RanksAsync(SlmOpsDbContext db, Guid runId, int attempt, CancellationToken ct) =>
        await db.RunRanks.AsNoTracking().Where(k => k.RunId == runId && k.Attempt == attempt).OrderBy(k => k.Rank).ToListAsync(ct);

    public GangAssignment Assignment(int rank, int worldSize, TimeSpan left) =>
        new(rank, worldSize, Math.Max(0, left.TotalSeconds), options.CollectiveTimeout.TotalSeconds);

    /// <summary>
    /// Marks this rank joined; the join that completes the gang writes one line naming every rank's worker. Joins of one
    /// gang are serialised on its rank 0 row, so two last joins at the same moment cannot both see the gang complete.
    /// </summary>
    private async Task JoinAsync(Guid runId, int attempt, IQueryable<RunRank> mine, DateTimeOffset now, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"SELECT 1 FROM run_ranks WHERE run_id = {runId} AND attempt = {attempt} AND rank = 0 FOR UPDATE", ct);
        var joined = await mine.Where(k => k.JoinedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.JoinedAt, now).SetProperty(k => k.HeartbeatAt, now), ct) == 1;
        var rows = await RanksAsync(db, runId, attempt, ct);
        if (joined && rows.Count > 0 && rows.All(k => k.JoinedAt is not null)) await LogFormedAsync(runId, attempt, rows, ct);
        await transaction.CommitAsync(ct);
    }

    private async Task LogFormedAsync(Guid runId, int attempt, IReadOnlyList<RunRank> rows, CancellationToken ct)
    {
        var members = string.Join(", ", rows.Select(k => $"rank {k.Rank} on {k.WorkerName}"));
        await RunStates.LogAsync(db, runId, attempt, RunEventLevel.Info, $"The gang formed: {members}", ct);
        logger.LogInformation("Run {RunId} attempt {Attempt}: the gang formed ({Members})", runId, attempt, members);
    }

    /// <summary>Rank r of a local CUDA gang trains on cuda:r; a gang rank on its worker's first device; CPU stays cpu.</summary>
    private static string RankDevice(string device, int rank) => RunQueues.DeviceClass(device) == "cuda" ? $"cuda:{rank}" : device;
}
