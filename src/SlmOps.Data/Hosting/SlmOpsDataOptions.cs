namespace SlmOps.Data.Hosting;

/// <summary>Settings under the <c>Database</c> configuration section (env <c>Database__MigrateOnStartup</c>, ...).</summary>
public sealed class SlmOpsDataOptions
{
    public const string SectionName = "Database";

    /// <summary>Development default; deployments set ConnectionStrings:Postgres.</summary>
    public const string DevelopmentConnectionString = "Host=127.0.0.1;Port=5433;Database=slmops;Username=slmops;Password=slmops";

    /// <summary>
    /// Apply pending migrations before the host starts its other services. Safe with several hosts starting
    /// together (the runner takes an advisory lock). Default true.
    /// </summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Where the *.sql files are; default: migrations/ next to the SlmOps.Data assembly.</summary>
    public string? MigrationsDirectory { get; set; }
}
