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

    /// <summary>
    /// What libtorch's matrix-vector products alone achieve over <paramref name="model"/>'s own weight matrices: one
    /// row vector times every 2-D parameter, transposed as a linear layer applies it (x @ Wᵀ; no other op), best of a few passes, in
    /// bytes of those matrices per second. The gap between this and <see cref="ReadBytesPerSecond"/> is the kernels';
    /// the gap between this and a decode step is everything else a step does.
    /// </summary>
    public static double MatvecBytesPerSecond(torch.nn.Module model, int passes = 7)
    {
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var matrices = model.parameters().Where(p => p.dim() == 2).ToList();
        var inputs = matrices.Select(w => torch.ones(1, w.shape[1])).ToList();
        var transposed = matrices.Select(w => w.transpose(0, 1)).ToList(); // views: the same memory, read as Linear reads it
        var bytes = matrices.Sum(w => w.shape[0] * w.shape[1] * sizeof(float));
        var best = double.MaxValue;
        for (var i = 0; i < passes; i++)
        {
            var started = Stopwatch.GetTimestamp();
            for (var m = 0; m < matrices.Count; m++)
            {
                using var y = inputs[m].matmul(transposed[m]);
            }
            best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        return bytes / best;
    }
}
