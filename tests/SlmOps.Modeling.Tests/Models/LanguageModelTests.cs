using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Models;
using SlmOps.Torch;

namespace SlmOps.Modeling.Tests.Models;

public class LanguageModelTests
{
    public static TheoryData<string> Architectures => new() { "fft", "gpt" };

    private static LanguageModel Tiny(string arch, int vocab = 23, int block = 12)
    {
        torch.manual_seed(1);
        ModelConfig config = arch == "fft" ? ModelPresets.TinyFft(vocab, block) : ModelPresets.TinyGpt(vocab, block);
        var model = ModelFactory.Create(config);
        model.eval();
        return model;
    }

    [Fact]
    public void Paper_llm_module_has_exactly_36_297_036_parameters()
    {
        using var model = new FftLanguageModel(ModelPresets.PaperLlm());
        Assert.Equal(36_297_036, model.parameter_count());
    }

    [Fact]
    public void Instantiated_modules_match_the_count_formulas()
    {
        ModelConfig[] configs = [ModelPresets.PaperSlm(), ModelPresets.TinyFft(50), ModelPresets.TinyGpt(50), ModelPresets.TinyGpt(50) with { Heads = 2, MlpRatio = 2 }];
        foreach (var config in configs)
        {
            using var model = ModelFactory.Create(config);
            Assert.Equal(config.ParameterCount(), model.parameter_count());
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Logits_have_shape_batch_time_vocab(string arch)
    {
        using var scope = torch.NewDisposeScope();
        using var model = Tiny(arch);
        var logits = model.forward(ModelTestData.Ids(3, 12, 23, seed: 5));
        Assert.Equal([3L, 12, 23], logits.shape);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Changing_the_token_at_j_changes_no_output_before_j(string arch)
    {
        using var scope = torch.NewDisposeScope();
        using var model = Tiny(arch);
        using var _ = torch.no_grad();
        var ids = ModelTestData.Ids(2, 12, 23, seed: 7);
        var original = ids.ToArray<long>();
        var before = model.forward(ids);
        foreach (var j in new[] { 0, 5, 11 })
        {
            var changed = (long[])original.Clone();
            changed[j] = (changed[j] + 1) % 23;          // row 0
            changed[12 + j] = (changed[12 + j] + 7) % 23; // row 1
            var after = model.forward(torch.tensor(changed, [2, 12]));
            for (var b = 0; b < 2; b++)
            {
                for (var t = 0; t < j; t++)
                    Assert.Equal(ModelTestData.Row(before, b, t), ModelTestData.Row(after, b, t)); // exactly
                Assert.NotEqual(ModelTestData.Row(before, b, j), ModelTestData.Row(after, b, j));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void A_shorter_window_gives_the_full_models_outputs_on_those_positions(string arch)
    {
        using var scope = torch.NewDisposeScope();
        using var model = Tiny(arch);
        using var _ = torch.no_grad();
        var ids = ModelTestData.Ids(2, 12, 23, seed: 11);
        var full = model.forward(ids);
        foreach (var t in new[] { 1, 5, 11 })
        {
            var shortIds = ids.slice(1, 0, t);
            var shortLogits = model.forward(shortIds);
            Assert.Equal([2L, t, 23], shortLogits.shape);
            var expected = full.slice(1, 0, t).contiguous().ToArray<float>();
            var actual = shortLogits.contiguous().ToArray<float>();
            // Same terms, but a different matrix size may change the summation order: allow float rounding.
            for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], tolerance: 1e-5);
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Windows_longer_than_the_block_are_rejected(string arch)
    {
        using var scope = torch.NewDisposeScope();
        using var model = Tiny(arch);
        var ex = Assert.Throws<ArgumentException>(() => model.forward(ModelTestData.Ids(1, 13, 23, seed: 1)));
        Assert.Contains("1..12", ex.Message);
    }
}
