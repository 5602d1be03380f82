namespace SlmOps.Benchmarks.Chaos;

/// <summary>
/// Command line: --runs N --workers N --worker-kills N --pg-restarts N --broker-restarts N --web-restarts N --steps N
/// --seed N --deadline S (seconds the runs may take after the last fault).
/// </summary>
public sealed record ChaosOptions(
    int Runs, int Workers, int WorkerKills, int PgRestarts, int BrokerRestarts, int WebRestarts, int Steps, int Seed, int DeadlineSeconds)
{
    /// <summary>The soak: 20 runs, 2 workers, 5 kills, 2 PostgreSQL, 2 RabbitMQ and 1 web host restart.</summary>
    public static readonly ChaosOptions Full = new(Runs: 20, Workers: 2, WorkerKills: 5, PgRestarts: 2, BrokerRestarts: 2, WebRestarts: 1,
        Steps: 600, Seed: 17, DeadlineSeconds: 900);


    public int Faults => WorkerKills + PgRestarts + BrokerRestarts + WebRestarts;

    public static ChaosOptions Parse(string[] args)
    {
        var options = Full;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length && int.TryParse(args[i + 1], out var v) && v >= 0
                ? v : throw new ArgumentException($"{args[i]} needs a whole number (0 or more) after it.");
            options = args[i++] switch
            {
                "--runs" => options with { Runs = value },
                "--workers" => options with { Workers = value },
                "--worker-kills" => options with { WorkerKills = value },
                "--pg-restarts" => options with { PgRestarts = value },
                "--broker-restarts" => options with { BrokerRestarts = value },
                "--web-restarts" => options with { WebRestarts = value },
                "--steps" => options with { Steps = value },
                "--seed" => options with { Seed = value },
                "--deadline" => options with { DeadlineSeconds = value },
                var other => throw new ArgumentException(
                    $"Unknown option {other}; known: --runs --workers --worker-kills --pg-restarts --broker-restarts --web-restarts --steps --seed --deadline."),
            };
        }
        if (options.Runs < 1 || options.Workers < 1 || options.Steps < 10)
            throw new ArgumentException("--runs and --workers must be at least 1 and --steps at least 10.");
        return options;
    }

    public override string ToString() =>
        $"runs={Runs} workers={Workers} steps={Steps} faults: worker_kills={WorkerKills} pg_restarts={PgRestarts} broker_restarts={BrokerRestarts} " +
        $"web_restarts={WebRestarts}, seed={Seed}";
}
