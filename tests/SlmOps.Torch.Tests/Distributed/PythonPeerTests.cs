using System.Diagnostics;
using SlmOps.Torch.Distributed;
using SlmOps.Torch.Tests.Support;

namespace SlmOps.Torch.Tests.Distributed;

// PyTorch's own torch.distributed joins our store and our Gloo group as rank 1: the binding speaks c10d itself.
// Then it is killed with SIGKILL and our rank's next collective fails with a .NET exception instead of hanging.
public sealed class PythonPeerTests
{
    [PythonTorchFact]
    public void A_pytorch_rank_reduces_with_ours_and_its_death_fails_our_next_collective()
    {
        using var host = TcpStore.Host(worldSize: 2, Ranks.Timeout);
        using var peer = StartPeer(host.Port);
        try
        {
            using var group = ProcessGroup.Gloo(host, 0, 2, Ranks.Timeout);
            using var sum = torch.ones(4);
            group.AllReduce(sum);
            using var sent = torch.tensor(new[] { 1.5f, -2f, 3f });
            group.Broadcast(sent);

            Assert.Equal("sum 3.0 3.0 3.0 3.0", peer.StandardOutput.ReadLine());
            Assert.Equal("broadcast 1.5 -2.0 3.0", peer.StandardOutput.ReadLine());
            Assert.Equal("ready", peer.StandardOutput.ReadLine());
            Assert.Equal(new[] { 3f, 3f, 3f, 3f }, sum.ToArray<float>());

            peer.Kill();
            peer.WaitForExit();
            using var after = torch.ones(4);
            var error = Assert.Throws<DistributedException>(() => group.AllReduce(after));

            Assert.Equal(0, error.Rank);
            Assert.Equal("all_reduce (gloo)", error.Operation);
        }
        finally
        {
            if (!peer.HasExited) peer.Kill();
        }
    }

    private static Process StartPeer(int port)
    {
        var psi = new ProcessStartInfo(PythonOracle.Python)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = PythonOracle.ScriptDirectory,
        };
        foreach (var a in new[] { Path.Combine(PythonOracle.ScriptDirectory, "ddp_peer.py"), "127.0.0.1", port.ToString(), "1", "2", "hang" })
            psi.ArgumentList.Add(a);
        return Process.Start(psi) ?? throw new InvalidOperationException($"could not start {PythonOracle.Python}");
    }
}
