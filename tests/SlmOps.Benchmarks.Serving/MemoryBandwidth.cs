using System.Diagnostics;
using SlmOps.Torch;

namespace SlmOps.Benchmarks.Serving;

/// <summary>
/// Read bandwidth as decoding sees it: libtorch summing a buffer far larger than the caches, on the benchmark's
/// threads (a batch-1 decode step is a stream of reads over the weights). Best of a few passes, in bytes per second.
/// </summary>
internal static class MemoryBandwidth
{
    public static double ReadBytesPerSecond(long bytes = 512L << 20, int passes = 7)
    {
        using var _ = torch.no_grad();
        using var buffer = torch.ones([bytes / sizeof(float)]);
        var best = double.MaxValue;
        for (var i = 0; i < passes; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var sum = buffer.sum();
            sum.item<float>();
            best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        return bytes / best;
    }
}
