namespace SlmOps.Data.Hosting;

/// <summary>Settings under the <c>Database</c> configuration section (env <c>Database__MigrateOnStartup</c>, ...).</summary>
public sealed class SlmOpsDataOptions
{
    public const string SectionName = "Database";

    /// <summary>
    /// Apply pending migrations before the host starts its other services. Safe with several hosts starting
    /// together (the runner takes an advisory lock). Default true.
    /// </summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Where the *.sql files are; default: migrations/ next to the SlmOps.Data assembly.</summary>
    public string? MigrationsDirectory { get; set; }
}
