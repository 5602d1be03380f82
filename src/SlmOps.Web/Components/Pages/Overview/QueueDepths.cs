using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using SlmOps.Contracts.Runs;
using SlmOps.Hosting;

namespace SlmOps.Web.Components.Pages.Overview;

/// <summary>Messages waiting and consumers attached on one run queue; <c>Exists</c> is false before any worker or submission declared it.</summary>
public sealed record QueueDepth(string Queue, string DeviceClass, bool Exists, uint Waiting, uint Consumers);

/// <summary>Reads the run queues' depths with a passive declare (which never creates or changes a queue).</summary>
public sealed class QueueDepths(IOptions<RabbitMqOptions> options, IConfiguration configuration)
{
    public static readonly string[] DeviceClasses = ["cpu", "cuda"];

    public async Task<IReadOnlyList<QueueDepth>> ReadAsync(CancellationToken cancellation)
    {
        var factory = options.Value.CreateConnectionFactory("slmops-web-dashboard");
        await using var connection = await factory.CreateConnectionAsync(cancellation);
        var depths = new List<QueueDepth>();
        foreach (var device in DeviceClasses)
        {
            var queue = RunQueues.QueueName(configuration[RunQueues.PrefixKey], device);
            // A failed passive declare closes the channel, so each queue gets its own.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellation);
            try
            {
                var declared = await channel.QueueDeclarePassiveAsync(queue, cancellation);
                depths.Add(new QueueDepth(queue, device, true, declared.MessageCount, declared.ConsumerCount));
            }
            catch (OperationInterruptedException)
            {
                depths.Add(new QueueDepth(queue, device, false, 0, 0));
            }
        }
        return depths;
    }
}
