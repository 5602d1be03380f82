using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SlmOps.Contracts.Events;
using SlmOps.Web.Live;

namespace SlmOps.Web.Tests.Dashboard;

/// <summary>Worker events reach dashboard subscribers through the real RabbitMQ, on every web instance.</summary>
public sealed class LiveRunEventsTests
{
    [Fact]
    public async Task An_event_published_on_the_broker_reaches_the_subscribers_of_every_web_instance()
    {
        await using var first = WebHostFactory.ForRealStack();
        await using var second = WebHostFactory.ForRealStack();
        var firstReceived = await SubscribeWhenReady(first);
        var secondReceived = await SubscribeWhenReady(second);

        var progressed = new RunProgressed(Guid.NewGuid(), DateTimeOffset.UtcNow, Step: 7, TotalSteps: 100,
            Loss: 2.5, TokensPerSecond: 1000, LearningRate: 3e-4);
        // As a worker would: publish to the event's exchange, not to any one queue.
        await first.Services.GetRequiredService<IBus>().Publish(progressed);

        var onFirst = await ReceivedWithin(firstReceived, progressed.RunId);
        var onSecond = await ReceivedWithin(secondReceived, progressed.RunId);
        Assert.Equal(7, Assert.IsType<RunProgressed>(onFirst).Step);
        Assert.Equal(2.5, Assert.IsType<RunProgressed>(onSecond).Loss);
    }

    private static async Task<ConcurrentQueue<IRunEvent>> SubscribeWhenReady(WebHostFactory factory)
    {
        _ = factory.Server; // starts the host, its bus and the live endpoint
        await factory.Services.GetRequiredService<RunEventEndpoint>().Ready.WaitAsync(TimeSpan.FromSeconds(60));
        var received = new ConcurrentQueue<IRunEvent>();
        factory.Services.GetRequiredService<RunEventHub>().Subscribe(e => { received.Enqueue(e); return Task.CompletedTask; });
        return received;
    }

    private static async Task<IRunEvent> ReceivedWithin(ConcurrentQueue<IRunEvent> received, Guid runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (received.FirstOrDefault(e => e.RunId == runId) is { } found) return found;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"run event for {runId} did not arrive within 30 s");
    }
}
