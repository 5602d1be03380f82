namespace SlmOps.Hosting;

/// <summary>
/// A setting a host cannot run without: its configuration key, what it is (said when it is missing) and the value the
/// local development stack (deploy/stack.sh) uses, which only the Development environment may assume.
/// </summary>
public sealed record RequiredSetting(string Key, string Description, string DevelopmentValue)
{
    /// <summary>The key as an environment variable: RabbitMq:Password is RabbitMq__Password.</summary>
    public string EnvironmentVariable => Key.Replace(":", "__", StringComparison.Ordinal);
}
