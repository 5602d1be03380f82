using RabbitMQ.Client;

namespace SlmOps.Hosting;

/// <summary>Broker connection settings, bound from the <c>RabbitMq</c> configuration section.</summary>
/// <remarks>No credentials by default: <see cref="RequiredSettings.Broker"/> fills them in Development and requires them elsewhere.</remarks>
public sealed class RabbitMqOptions
{
    public const string SectionName = "RabbitMq";

    public string Host { get; set; } = "";
    public ushort Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "";
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";

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
