namespace SlmOps.Cli.Tests.Server;

/// <summary>Where the tests find the development stack (deploy/stack.sh); the same variables the web tests read.</summary>
internal static class CliTestStack
{
    public static string PostgresConnectionString =>
        Setting("SLMOPS_TEST_PG", "Host=127.0.0.1;Port=5433;Database=slmops;Username=slmops;Password=slmops");

    public static string RabbitMqHost => Setting("SLMOPS_TEST_RABBITMQ_HOST", "127.0.0.1");
    public static string RabbitMqPort => Setting("SLMOPS_TEST_RABBITMQ_PORT", "5672");
    public static string RabbitMqVirtualHost => Setting("SLMOPS_TEST_RABBITMQ_VHOST", "slmops");
    public static string RabbitMqUsername => Setting("SLMOPS_TEST_RABBITMQ_USER", "slmops");
    public static string RabbitMqPassword => Setting("SLMOPS_TEST_RABBITMQ_PASSWORD", "slmops");

    private static string Setting(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}
