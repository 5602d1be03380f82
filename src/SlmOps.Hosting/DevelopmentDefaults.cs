using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace SlmOps.Hosting;

/// <summary>
/// Connection settings of the local development stack (deploy/stack.sh). They sit at the lowest
/// precedence, so appsettings, environment variables (RabbitMq__Host, ...)
/// and command-line arguments all override them. Development only: never rely on them in production.
/// </summary>
public static class DevelopmentDefaults
{
    private static readonly Dictionary<string, string?> Values = new()
    {
        ["RabbitMq:Host"] = "127.0.0.1",
        ["RabbitMq:Port"] = "5672",
        ["RabbitMq:VirtualHost"] = "slmops",
        ["RabbitMq:Username"] = "slmops",
        ["RabbitMq:Password"] = "slmops",
        ["Artifacts:Root"] = ".slmops/artifacts",
    };

    public static IConfigurationBuilder AddSlmOpsDevelopmentDefaults(this IConfigurationBuilder configuration)
    {
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Values });
        return configuration;
    }
}
