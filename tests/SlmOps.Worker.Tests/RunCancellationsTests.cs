using SlmOps.Worker.Runs;

namespace SlmOps.Worker.Tests;

public sealed class RunCancellationsTests
{
    [Fact]
    public void A_registered_run_is_cancelled_by_id_and_others_are_untouched()
    {
        var cancellations = new RunCancellations();
        using var mine = new CancellationTokenSource();
        using var other = new CancellationTokenSource();
        var (mineId, otherId) = (Guid.NewGuid(), Guid.NewGuid());
        using var a = cancellations.Register(mineId, mine);
        using var b = cancellations.Register(otherId, other);

        Assert.True(cancellations.TryCancel(mineId));
        Assert.True(mine.IsCancellationRequested);
        Assert.False(other.IsCancellationRequested);
        Assert.False(cancellations.TryCancel(Guid.NewGuid()));
    }

    [Fact]
    public void A_finished_run_is_no_longer_cancellable()
    {
        var cancellations = new RunCancellations();
        var runId = Guid.NewGuid();
        var source = new CancellationTokenSource();
        cancellations.Register(runId, source).Dispose();
        source.Dispose();

        Assert.False(cancellations.TryCancel(runId));
    }
}
