using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Models;
using SlmOps.Torch;

namespace SlmOps.Modeling.Tests.Models;

public class CausalTimeMixingTests
{
    private static float[] UpperTriangle(Tensor m)
    {
        using var upper = m.detach().triu(1);
        return upper.ToArray<float>();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Upper_triangles_stay_exactly_zero_through_adamw_with_weight_decay(bool enforceAfterStep)
    {
        torch.manual_seed(3);
        using var model = new FftLanguageModel(ModelPresets.TinyFft(vocabSize: 17, blockSize: 10));
        using var opt = torch.optim.AdamW(model.parameters(), lr: 0.05, weight_decay: 0.5);
        var losses = new List<double>();
        for (var step = 0; step < 8; step++)
        {
            using var scope = torch.NewDisposeScope();
            var x = ModelTestData.Ids(4, 10, 17, seed: step);
            var logits = model.forward(x);
            var loss = torch.nn.functional.cross_entropy(logits.reshape(-1, 17), x.reshape(-1));
            opt.zero_grad();
            loss.backward();
            foreach (var block in model.Blocks)
            {
                // The gradient above the diagonal is exactly zero because forward reads tril(M).
                Assert.All(UpperTriangle(block.Mixing.Mix1.grad!), v => Assert.Equal(0f, v));
                Assert.All(UpperTriangle(block.Mixing.Mix2.grad!), v => Assert.Equal(0f, v));
            }
            opt.step();
            if (enforceAfterStep) model.AfterOptimizerStep();
            losses.Add(loss.item<float>());
        }
        foreach (var block in model.Blocks)
        {
            Assert.All(UpperTriangle(block.Mixing.Mix1), v => Assert.Equal(0f, v));
            Assert.All(UpperTriangle(block.Mixing.Mix2), v => Assert.Equal(0f, v));
            using var lower = block.Mixing.Mix1.detach().tril();
            Assert.Contains(lower.ToArray<float>(), v => v != 0f);
        }
        Assert.True(losses[^1] < losses[0], $"loss went {losses[0]} -> {losses[^1]}");
    }

    [Fact]
    public void Enforce_clears_values_written_above_the_diagonal()
    {
        using var mix = new CausalTimeMixing(6);
        using (torch.no_grad()) mix.Mix1.fill_(1.0);
        mix.EnforceLowerTriangular();
        var m = mix.Mix1.ToArray<float>();
        for (var i = 0; i < 6; i++)
            for (var j = 0; j < 6; j++)
                Assert.Equal(j <= i ? 1f : 0f, m[i * 6 + j]);
    }
}
