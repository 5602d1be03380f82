using System.Net;
using System.Net.Sockets;

namespace SlmOps.E2ETests.Infrastructure;

/// <summary>Where the tests find the development stack (deploy/stack.sh), as the integration tests do.</summary>
internal static class TestStack
{
    public static string PostgresConnectionString => Setting("SLMOPS_TEST_PG", "Host=127.0.0.1;Port=5433;Database=slmops;Username=slmops;Password=slmops");
    public static string RabbitMqHost => Setting("SLMOPS_TEST_RABBITMQ_HOST", "127.0.0.1");
    public static string RabbitMqPort => Setting("SLMOPS_TEST_RABBITMQ_PORT", "5672");
    public static string RabbitMqVirtualHost => Setting("SLMOPS_TEST_RABBITMQ_VHOST", "slmops");
    public static string RabbitMqUsername => Setting("SLMOPS_TEST_RABBITMQ_USER", "slmops");
    public static string RabbitMqPassword => Setting("SLMOPS_TEST_RABBITMQ_PASSWORD", "slmops");

    /// <summary>Debian's Chromium; Playwright's own browser downloads are never used.</summary>
    public static string ChromiumPath => Setting("SLMOPS_TEST_CHROMIUM", "/usr/bin/chromium");

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string Setting(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}
