using System.Runtime.InteropServices;
using N = SlmOps.Torch.Native.NativeMethods;

namespace SlmOps.Torch.Distributed;

/// <summary>
/// Ranks that must agree on something before training together (the libtorch build, the world size) each publish their
/// value in the store and read every other rank's; any difference fails every rank with a message naming both values
/// and their ranks, instead of a collective that hangs or reduces mismatched tensors.
/// </summary>
public static class Agreement
{
    /// <summary>The libtorch this native library was built against (torch.__version__ of that build).</summary>
    public static string LibtorchVersion => Marshal.PtrToStringUTF8(N.SlmDistributed_torch_version()) ?? "unknown";

    /// <summary>What a rank of a training gang states about itself: its libtorch build and the world size it was given.</summary>
    public static string Build(int worldSize) => $"libtorch {LibtorchVersion}, world size {worldSize}";

    /// <summary>Publishes <paramref name="value"/> as this rank's <paramref name="what"/> and checks that every rank said the same.</summary>
    public static void Check(TcpStore store, string what, string value)
    {
        store.Set($"agree/{what}/{store.Rank}", value);
        for (var other = 0; other < store.WorldSize; other++)
        {
            if (other == store.Rank) continue;
            var theirs = store.Get($"agree/{what}/{other}");
            if (theirs != value)
                throw new DistributedException(store.Rank, store.WorldSize, $"agree on {what}",
                    $"rank {store.Rank} has '{value}' but rank {other} has '{theirs}'; every rank of a gang needs the same");
        }
    }
}
