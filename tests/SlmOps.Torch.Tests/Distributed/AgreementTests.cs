using SlmOps.Torch.Distributed;

namespace SlmOps.Torch.Tests.Distributed;

public sealed class AgreementTests
{
    [Fact]
    public void Ranks_that_state_different_builds_both_fail_naming_both_values()
    {
        using var host = TcpStore.Host(2, Ranks.Timeout);
        var errors = new Exception?[2];
        var threads = new[] { "libtorch 1.13.1, world size 2", "libtorch 2.5.1, world size 2" }.Select((build, rank) => Ranks.Start(() =>
        {
            using var store = rank == 0 ? null : TcpStore.Connect("127.0.0.1", host.Port, rank, 2, Ranks.Timeout);
            try { Agreement.Check(store ?? host, "build", build); }
            catch (DistributedException e) { errors[rank] = e; }
        })).ToList();
        Ranks.Join(threads);

        Assert.All(errors, e =>
        {
            Assert.IsType<DistributedException>(e);
            Assert.Contains("'libtorch 1.13.1, world size 2'", e!.Message);
            Assert.Contains("'libtorch 2.5.1, world size 2'", e.Message);
            Assert.Contains("agree on build", e.Message);
        });
    }

    [Fact]
    public void Ranks_that_agree_pass_and_the_build_names_this_libtorch()
    {
        using var host = TcpStore.Host(2, Ranks.Timeout);
        var threads = Enumerable.Range(0, 2).Select(rank => Ranks.Start(() =>
        {
            using var store = rank == 0 ? null : TcpStore.Connect("127.0.0.1", host.Port, rank, 2, Ranks.Timeout);
            Agreement.Check(store ?? host, "build", Agreement.Build(2));
        })).ToList();

        Ranks.Join(threads);

        Assert.StartsWith("libtorch 1.13", Agreement.Build(2)); // Debian's libtorch-dev, which these tests build against
    }
}
