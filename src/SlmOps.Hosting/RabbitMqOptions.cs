using RabbitMQ.Client;

namespace SlmOps.Hosting;

/// <summary>Broker connection settings, bound from the <c>RabbitMq</c> configuration section.</summary>
/// <remarks>The defaults are the development stack started by deploy/stack.sh; never use them in production.</remarks>
public sealed class RabbitMqOptions
{
    public const string SectionName = "RabbitMq";

    public string Host { get; set; } = "127.0.0.1";
    public ushort Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "slmops";
    public string Username { get; set; } = "slmops";
    public string Password { get; set; } = "slmops";

    public string Address => $"{Host}:{Port}";

    /// <summary>A plain AMQP connection factory for these settings, for the few places that talk to the broker
    /// without MassTransit (readiness probe, queue declaration).</summary>
    public ConnectionFactory CreateConnectionFactory(string clientName) => new()
    {
        HostName = Host,
        Port = Port,
        VirtualHost = VirtualHost,
        UserName = Username,
        Password = Password,
        ClientProvidedName = clientName,
    };
}
