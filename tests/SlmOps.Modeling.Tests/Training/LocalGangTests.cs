using SlmOps.Modeling.Training;
using SlmOps.Torch;
using SlmOps.Torch.Distributed;

namespace SlmOps.Modeling.Tests.Training;

public sealed class LocalGangTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public void Every_rank_failing_the_same_way_reads_as_that_one_failure()
    {
        var error = Assert.Throws<ArgumentException>(() => LocalGang.Run<int>(2, Timeout, _ => throw new ArgumentException("bad config")));

        Assert.Equal("bad config", error.Message);
    }

    [Fact]
    public void One_rank_failing_fails_the_other_in_its_collective_and_the_cause_comes_first()
    {
        var error = Assert.Throws<AggregateException>(() => LocalGang.Run(2, Timeout, dp =>
        {
            if (dp.Rank == 1) throw new InvalidOperationException("rank 1 broke");
            using var t = torch.ones(2);
            dp.Group.AllReduce(t); // rank 1 is gone: its group closed when it failed
            return 0;
        }));

        Assert.IsType<InvalidOperationException>(error.InnerExceptions[0]);
        Assert.IsType<DistributedException>(error.InnerExceptions[1]);
        Assert.Contains("first: rank 1 broke", error.Message);
    }
}
