using System.Diagnostics;
using Npgsql;

namespace SlmOps.Benchmarks.Chaos;

/// <summary>
/// The chaos soak (deploy/bench.sh chaos): a private deployment runs small training and evaluation runs on worker
/// processes while workers are killed with SIGKILL and PostgreSQL, RabbitMQ and the web host are restarted at seeded
/// random times. It waits for every run to end and checks that none failed or stuck and that every metric series of a
/// succeeded run holds each step once. Last line:
/// chaos: runs=N succeeded=S failed=F worker_kills=K pg_restarts=P broker_restarts=B web_restarts=W lost_points=L
///        duplicate_points=D stuck_runs=R max_ready_after_restart_s=X
/// Exit code 0 only when S=N, L=D=R=0, X &lt; 10 and every planned fault was injected.
/// </summary>
public static class ChaosMain
{
    public const double ReadyTargetSeconds = 10;

    public static async Task<int> Main(string[] args)
    {
        var options = ChaosOptions.Parse(args);
        var logs = Path.Combine(Path.GetTempPath(), $"slmops-chaos-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        Console.WriteLine($"chaos: device=cpu ({Environment.ProcessorCount} cores); {options}");
        var total = Stopwatch.StartNew();
        await using var stack = await ChaosStack.StartAsync(options.Workers, logs);
        Console.WriteLine($"{stack.Describe()}; worker output in {logs}");

        var mix = new RunMix(stack, options);
        await mix.SetUpAsync(TimeSpan.FromMinutes(10));
        var plan = FaultPlan.Make(options);
        Console.WriteLine($"set up in {total.Elapsed.TotalSeconds:F0} s (corpus prepared, base model pretrained); faults at shares of the work done: " +
                          string.Join(", ", plan.Select(f => $"{f.Kind}@{100 * f.AtProgress:F0}%")));

        var clock = Stopwatch.StartNew();
        var runs = await mix.SubmitAllAsync();
        var ids = runs.Select(r => r.Id).ToArray();
        using var watching = new CancellationTokenSource();
        var (open, done) = (options.Runs, 0.0);
        var stalled = new HashSet<Guid>();
        var watcher = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                (open, done) = await StateAsync(stack, ids) ?? (open, done);
                foreach (var id in await StalledAsync(stack, ids)) stalled.Add(id);
                await Task.Delay(500);
            }
        });
        var injector = new FaultInjector(stack, options.Seed);
        await injector.PlayAsync(plan, clock, () => done, () => BusyWorkersAsync(stack), () => open == 0);
        Console.WriteLine($"faults done at {clock.Elapsed.TotalSeconds:F0} s; waiting for the runs (at most {options.DeadlineSeconds} s)");

        var until = clock.Elapsed + TimeSpan.FromSeconds(options.DeadlineSeconds);
        while (open > 0 && clock.Elapsed < until) await Task.Delay(1000);
        await watching.CancelAsync();
        await watcher;
        var stillOpen = (await StateAsync(stack, ids))?.Open ?? options.Runs;
        Console.WriteLine($"runs ended at {clock.Elapsed.TotalSeconds:F0} s ({stillOpen} still open)");
        foreach (var id in stalled)
            Console.WriteLine($"  {runs.Single(r => r.Id == id).Name} stalled: Running without a heartbeat for over {StallLimit.TotalSeconds:F0} s " +
                              "(the sweeper should have re-queued it)");
        var stuck = stillOpen + stalled.Count(id => runs.Any(r => r.Id == id));

        var succeeded = new List<SoakRun>();
        var failed = 0;
        foreach (var run in runs)
        {
            var status = await stack.ScalarAsync<string>("SELECT status FROM runs WHERE id = $1", run.Id);
            var attempt = await stack.ScalarAsync<int>("SELECT attempt FROM runs WHERE id = $1", run.Id);
            if (status == "Succeeded") succeeded.Add(run);
            else if (status is "Failed" or "Cancelled")
            {
                failed++;
                Console.WriteLine($"  {run.Name} ({run.Kind}, {run.Id}) {status} at attempt {attempt}: {await stack.ScalarAsync<string>("SELECT error FROM runs WHERE id = $1", run.Id)}");
            }
            else Console.WriteLine($"  {run.Name} ({run.Kind}, {run.Id}) stuck {status} at attempt {attempt}");
            if (attempt > 1) Console.WriteLine($"  {run.Name} ({run.Kind}) {status} after {attempt} attempts");
        }
        Console.WriteLine("runs ended per worker (of the last attempt): " + await stack.ScalarAsync<string>(
            "SELECT string_agg(w || '=' || n, ', ' ORDER BY w) FROM (SELECT coalesce(worker_name, '-') AS w, count(*) AS n FROM runs WHERE id = ANY($1) GROUP BY 1) s", ids));
        var audit = await MetricAudit.CheckAsync(stack, succeeded);
        var injected = injector.Injected;
        var line = $"chaos: runs={options.Runs} succeeded={succeeded.Count} failed={failed} worker_kills={injected[FaultKind.WorkerKill]} " +
                   $"pg_restarts={injected[FaultKind.PostgresRestart]} broker_restarts={injected[FaultKind.BrokerRestart]} " +
                   $"web_restarts={injected[FaultKind.WebRestart]} lost_points={audit.Lost} duplicate_points={audit.Duplicates} " +
                   $"stuck_runs={stuck} max_ready_after_restart_s={injector.MaxReadySeconds:F1}";
        var met = succeeded.Count == options.Runs && audit is { Lost: 0, Duplicates: 0 } && stuck == 0
                  && injector.MaxReadySeconds < ReadyTargetSeconds && injected.Values.Sum() == plan.Count && injector.AfterTheRuns == 0;
        if (injector.AfterTheRuns > 0)
            Console.WriteLine($"{injector.AfterTheRuns} fault(s) came after every run had ended and tested nothing: give the runs more --steps");
        Console.WriteLine($"wall time {total.Elapsed.TotalSeconds:F0} s; targets (succeeded={options.Runs}, lost=duplicates=stuck=0, " +
                          $"ready < {ReadyTargetSeconds} s, every planned fault while runs were open) {(met ? "met" : "MISSED")}");
        Console.WriteLine(line);
        return met ? 0 : 1;
    }

    /// <summary>
    /// Runs of the soak not yet ended, and the share of its work done (an ended run counts whole, a training run by its
    /// progress); null while PostgreSQL does not answer (it may be the fault).
    /// </summary>
    private static async Task<(int Open, double Done)?> StateAsync(ChaosStack stack, Guid[] ids)
    {
        try
        {
            var state = await stack.ScalarAsync<string>("""
                SELECT count(*) FILTER (WHERE status NOT IN ('Succeeded', 'Failed', 'Cancelled')) || ' ' ||
                       avg(CASE WHEN status IN ('Succeeded', 'Failed', 'Cancelled') THEN 1 ELSE progress END)
                FROM runs WHERE id = ANY($1)
                """, ids);
            var parts = state!.Split(' ');
            return (int.Parse(parts[0]), double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception error) when (error is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return null;
        }
    }

    /// <summary>
    /// A run counts as stuck when it stays Running without a heartbeat for this long: the time after which the sweeper
    /// re-queues it, plus as long again for a lock a PostgreSQL restart left behind (Hangfire:LockTimeout), plus a few of
    /// its passes. Waiting in the queue for a free worker is not stuck.
    /// </summary>
    public static readonly TimeSpan StallLimit = 2 * ChaosStack.HeartbeatTimeout + TimeSpan.FromSeconds(10);

    private static async Task<IReadOnlyList<Guid>> StalledAsync(ChaosStack stack, Guid[] ids)
    {
        try
        {
            var list = await stack.ScalarAsync<string>(
                "SELECT coalesce(string_agg(id::text, ','), '') FROM runs WHERE id = ANY($1) AND status = 'Running' " +
                "AND coalesce(heartbeat_at, started_at, queued_at) < now() - $2::interval", ids, StallLimit);
            return (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse).ToList();
        }
        catch (Exception error) when (error is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return [];
        }
    }

    private static async Task<IReadOnlyList<string>> BusyWorkersAsync(ChaosStack stack) =>
        (await stack.ScalarAsync<string>("SELECT coalesce(string_agg(worker_name, ','), '') FROM runs WHERE status = 'Running'") ?? "")
        .Split(',', StringSplitOptions.RemoveEmptyEntries);
}
