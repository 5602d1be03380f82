
namespace SlmOps.Serving.Tests;

public sealed class InferenceThreadTests
{
    [Fact]
    public async Task Every_item_runs_on_the_same_thread_which_is_not_the_callers()
    {
        using var thread = new InferenceThread("test-inference");

        var ids = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => thread.RunAsync(() => Environment.CurrentManagedThreadId, CancellationToken.None)));

        Assert.Single(ids.Distinct());
        Assert.NotEqual(Environment.CurrentManagedThreadId, ids[0]);
    }

    [Fact]
    public async Task Work_cancelled_while_queued_never_runs_and_work_already_started_runs_to_the_end()
    {
        using var thread = new InferenceThread("test-inference");
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var cts = new CancellationTokenSource();
        var first = thread.RunAsync(() => { started.Set(); release.Wait(); return 1; }, cts.Token);
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
        var queuedRan = false;
        var second = thread.RunAsync(() => { queuedRan = true; return 2; }, cts.Token);

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        release.Set();

        Assert.Equal(1, await first);
        Assert.Equal(3, await thread.RunAsync(() => 3, CancellationToken.None));
        Assert.False(queuedRan);
    }

    [Fact]
    public async Task An_exception_reaches_the_caller_and_the_thread_keeps_serving()
    {
        using var thread = new InferenceThread("test-inference");

        await Assert.ThrowsAsync<InvalidOperationException>(() => thread.RunAsync<int>(() => throw new InvalidOperationException("boom"), CancellationToken.None));
        Assert.Equal(4, await thread.RunAsync(() => 4, CancellationToken.None));
    }
}
