using SlmOps.Torch.Optim;
using F = SlmOps.Torch.torch.nn.functional;

namespace SlmOps.Torch.Tests.NN;

/// <summary>Dispose scopes, not the GC, keep a long training loop's native memory flat.</summary>
public sealed class TrainingMemoryTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>Resident set size in bytes, from /proc/self/statm (second field, in pages).</summary>
    private static long ResidentBytes()
    {
        var fields = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) * Environment.SystemPageSize;
    }

    [Fact]
    public void Two_thousand_training_steps_keep_resident_memory_flat_after_warm_up()
    {
        // Bound: < 20 MB growth between step 200 and step 2000. A leak of one step's tensors (activations,
        // gradients, optimizer temporaries: ~100 KB here) would exceed it within a few hundred steps.
        const long boundBytes = 20L * 1024 * 1024;
        torch.manual_seed(0);
        using var model = torch.nn.Sequential(
            torch.nn.Linear(32, 64), torch.nn.GELU(), torch.nn.LayerNorm(64), torch.nn.Dropout(0.1), torch.nn.Linear(64, 16));
        using var optimizer = new AdamW(model.parameters(), lr: 1e-3);
        using var x = torch.randn([64, 32]);
        using var y = torch.randint(0, 16, [64]);

        long atWarmup = 0;
        double firstLoss = 0, lastLoss = 0;
        for (var step = 1; step <= 2000; step++)
        {
            using (torch.NewDisposeScope())
            {
                var loss = F.cross_entropy(model.call(x), y);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                if (step == 1)
                {
                    firstLoss = loss.item<float>();
                }
                if (step == 2000)
                {
                    lastLoss = loss.item<float>();
                }
            }
            if (step == 200)
            {
                atWarmup = ResidentBytes();
            }
        }
        var growth = ResidentBytes() - atWarmup;
        output.WriteLine($"RSS at step 200: {atWarmup / 1048576.0:F1} MB; growth to step 2000: {growth / 1048576.0:F2} MB; loss {firstLoss:F4} -> {lastLoss:F4}");
        Assert.True(growth < boundBytes, $"resident memory grew {growth / 1048576.0:F1} MB between step 200 and 2000");
        Assert.True(lastLoss < firstLoss * 0.5, $"training did not progress: loss {firstLoss} -> {lastLoss}");
    }
}
