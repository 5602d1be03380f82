using Microsoft.Extensions.Logging.Abstractions;
using SlmOps.Contracts.Events;
using SlmOps.Web.Live;

namespace SlmOps.Web.Tests.Dashboard;

public sealed class RunEventHubTests
{
    private static RunCancelled AnEvent() => new(Guid.NewGuid(), DateTimeOffset.UtcNow, "test");

    [Fact]
    public async Task Every_subscriber_gets_each_event_until_it_unsubscribes()
    {
        var hub = new RunEventHub(NullLogger<RunEventHub>.Instance);
        var first = new List<Guid>();
        var second = new List<Guid>();
        var firstSubscription = hub.Subscribe(e => { first.Add(e.RunId); return Task.CompletedTask; });
        using var secondSubscription = hub.Subscribe(e => { second.Add(e.RunId); return Task.CompletedTask; });

        var before = AnEvent();
        await hub.PublishAsync(before);
        firstSubscription.Dispose();
        var after = AnEvent();
        await hub.PublishAsync(after);

        Assert.Equal([before.RunId], first);
        Assert.Equal([before.RunId, after.RunId], second);
        Assert.Equal(1, hub.SubscriberCount);
    }

    [Fact]
    public async Task A_failing_subscriber_does_not_keep_the_event_from_the_others()
    {
        var hub = new RunEventHub(NullLogger<RunEventHub>.Instance);
        var received = new List<Guid>();
        using var broken = hub.Subscribe(_ => throw new InvalidOperationException("page gone"));
        using var healthy = hub.Subscribe(e => { received.Add(e.RunId); return Task.CompletedTask; });

        var runEvent = AnEvent();
        await hub.PublishAsync(runEvent);

        Assert.Equal([runEvent.RunId], received);
    }

    [Fact]
    public async Task A_burst_of_requests_becomes_one_refresh_and_a_later_request_another()
    {
        var refreshes = 0;
        using var throttle = new ThrottledRefresh(() => { Interlocked.Increment(ref refreshes); return Task.CompletedTask; },
            TimeSpan.FromMilliseconds(200));

        for (var i = 0; i < 50; i++) throttle.Request();
        await Until(() => Volatile.Read(ref refreshes) >= 1);
        Assert.Equal(1, Volatile.Read(ref refreshes));

        throttle.Request();
        await Until(() => Volatile.Read(ref refreshes) >= 2);
        Assert.Equal(2, Volatile.Read(ref refreshes));
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(condition(), "condition not met within 30 s");
    }
}
