using SlmOps.Torch.Distributed;
using SlmOps.Worker.Runs;

namespace SlmOps.Worker.Tests;

/// <summary>Issue 14: a gang rank's failure is retried (the gang re-queued) only when another gang could succeed.</summary>
public sealed class GangFailuresTests
{
    [Fact]
    public void A_lost_peer_or_a_join_timeout_is_retried_a_disagreement_or_an_ordinary_error_is_not()
    {
        Assert.True(GangFailures.IsRetryable(new DistributedException(0, 2, "all_reduce (gloo)", "Connection closed by peer")));
        Assert.True(GangFailures.IsRetryable(new DistributedException(1, 2, "store get 'agree/build/0'", "Socket Timeout")));
        Assert.True(GangFailures.IsRetryable(new AggregateException(new InvalidOperationException("x"), new DistributedException(0, 2, "broadcast", "closed"))));
        Assert.True(GangFailures.IsRetryable(new InvalidOperationException("wrapped", new DistributedException(0, 2, "barrier", "timeout"))));

        Assert.False(GangFailures.IsRetryable(new DistributedException(0, 2, "agree on build", "rank 0 has 'libtorch 1.13' but rank 1 has 'libtorch 2.4'")));
        Assert.False(GangFailures.IsRetryable(new InvalidOperationException("out of memory")));
    }
}
