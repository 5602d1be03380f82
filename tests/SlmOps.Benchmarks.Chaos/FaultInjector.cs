using System.Diagnostics;

namespace SlmOps.Benchmarks.Chaos;

/// <summary>
/// Plays a <see cref="FaultPlan"/> against a <see cref="ChaosStack"/>, one fault after the other: stop (or kill -9), stay
/// down, start again, then time how long until the web host and every worker answer ready. A worker kill picks, by the
/// plan's seed, one of the workers holding a running run when there is one.
/// </summary>
public sealed class FaultInjector(ChaosStack stack, int seed)
{
    private readonly Random _random = new(seed + 1);
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromMinutes(3);

    public Dictionary<FaultKind, int> Injected { get; } = Enum.GetValues<FaultKind>().ToDictionary(k => k, _ => 0);
    public double MaxReadySeconds { get; private set; }

    /// <summary>Faults injected when every run had already ended: they tested nothing.</summary>
    public int AfterTheRuns { get; private set; }

    /// <param name="clock">Started when the runs were submitted.</param>
    /// <param name="progress">The share of the soak's work done (0-1); the plan's moments are on it.</param>
    /// <param name="busyWorkers">Names of the workers holding a running run now.</param>
    public async Task PlayAsync(IReadOnlyList<Fault> plan, Stopwatch clock, Func<double> progress, Func<Task<IReadOnlyList<string>>> busyWorkers, Func<bool> allDone)
    {
        foreach (var (fault, number) in plan.Select((f, i) => (f, i + 1)))
        {
            while (progress() < fault.AtProgress && !allDone()) await Task.Delay(250);
            if (allDone())
            {
                AfterTheRuns++;
                Console.WriteLine($"fault {number}/{plan.Count}: every run had already ended at {clock.Elapsed.TotalSeconds:F1} s");
            }
            var started = clock.Elapsed;
            var doneAtStart = progress();
            var what = await InjectAsync(fault, busyWorkers);
            // Our hosts (web, worker) count from their start; a service (PostgreSQL, RabbitMQ) from accepting connections
            // again, since its own boot time is not the platform's to shorten.
            var booting = Stopwatch.StartNew();
            var restarted = Stopwatch.StartNew();
            await RestartAsync(fault, what.Worker);
            if (fault.Kind is FaultKind.PostgresRestart or FaultKind.BrokerRestart) restarted.Restart();
            var (ready, last) = await stack.WaitUntilReadyAsync(restarted, ReadyDeadline);
            MaxReadySeconds = Math.Max(MaxReadySeconds, ready);
            Injected[fault.Kind]++;
            var boot = fault.Kind is FaultKind.PostgresRestart or FaultKind.BrokerRestart ? $"; it accepted connections {booting.Elapsed.TotalSeconds - ready:F1} s after its start" : "";
            Console.WriteLine($"fault {number}/{plan.Count} at {started.TotalSeconds:F1} s ({100 * doneAtStart:F0}% done, planned at {100 * fault.AtProgress:F0}%): {what.Description}, " +
                              $"down {fault.DownSeconds:F1} s{boot}; all ready {ready:F1} s later (last: {last})");
        }
    }

    private async Task<(string Description, int Worker)> InjectAsync(Fault fault, Func<Task<IReadOnlyList<string>>> busyWorkers)
    {
        string description;
        var worker = -1;
        switch (fault.Kind)
        {
            case FaultKind.WorkerKill:
                var busy = await busyWorkers();
                var candidates = Enumerable.Range(0, stack.WorkerCount).Where(i => busy.Contains(stack.WorkerName(i))).ToList();
                if (candidates.Count == 0) candidates = Enumerable.Range(0, stack.WorkerCount).ToList();
                worker = candidates[_random.Next(candidates.Count)];
                await stack.KillWorkerAsync(worker);
                description = $"kill -9 {stack.WorkerName(worker)}{(busy.Contains(stack.WorkerName(worker)) ? " (running a run)" : " (idle)")} [running: {string.Join(", ", busy)}]";
                break;
            case FaultKind.PostgresRestart:
                await stack.StopPostgresAsync();
                description = "PostgreSQL restart";
                break;
            case FaultKind.BrokerRestart:
                await stack.StopBrokerAsync();
                description = "RabbitMQ restart";
                break;
            default:
                await stack.StopWebAsync();
                description = "web host restart";
                break;
        }
        await Task.Delay(TimeSpan.FromSeconds(fault.DownSeconds));
        return (description, worker);
    }

    private Task RestartAsync(Fault fault, int worker) => fault.Kind switch
    {
        FaultKind.WorkerKill => stack.StartWorkerAsync(worker),
        FaultKind.PostgresRestart => stack.StartPostgresAsync(),
        FaultKind.BrokerRestart => stack.StartBrokerAsync(),
        _ => stack.StartWebAsync(),
    };
}
