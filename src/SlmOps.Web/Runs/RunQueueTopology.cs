using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using SlmOps.Contracts.Runs;
using SlmOps.Hosting;

namespace SlmOps.Web.Runs;

/// <summary>
/// Declares a run queue the way the worker's receive endpoint does (a fanout exchange bound to a durable queue
/// with x-max-priority), before the first command is sent to it. Without this a run submitted while no worker
/// has ever started would go to an exchange with no queue and be dropped by the broker.
/// Declaring is idempotent on the broker; each name is declared once per process.
/// </summary>
public sealed class RunQueueTopology(IOptions<RabbitMqOptions> options)
{
    private readonly ConcurrentDictionary<string, byte> _declared = new();

    public async Task EnsureDeclaredAsync(string queue, CancellationToken cancellation)
    {
        if (_declared.ContainsKey(queue)) return;
        var factory = options.Value.CreateConnectionFactory("slmops-web-topology");
        await using var connection = await factory.CreateConnectionAsync(cancellation);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellation);
        await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellation);
        var arguments = new Dictionary<string, object?> { ["x-max-priority"] = (int)RunQueues.MaxPriority };
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments, cancellationToken: cancellation);
        await channel.QueueBindAsync(queue, queue, routingKey: "", cancellationToken: cancellation);
        _declared.TryAdd(queue, 0);
    }
}
