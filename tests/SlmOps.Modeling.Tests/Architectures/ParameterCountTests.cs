using System.Text.Json;
using SlmOps.Modeling.Architectures;

namespace SlmOps.Modeling.Tests.Architectures;

public class ParameterCountTests
{
    [Fact]
    public void Paper_llm_has_exactly_36_297_036_parameters() =>
        Assert.Equal(36_297_036, ModelPresets.PaperLlm().ParameterCount());

    [Fact]
    public void Paper_slm_has_about_9_76_million_parameters()
    {
        var count = ModelPresets.PaperSlm().ParameterCount();
        Assert.Equal(9_756_156, count);
        Assert.Equal(9.76, Math.Round(count / 1e6, 2));
    }

    [Fact]
    public void Fft_count_is_the_sum_of_its_parts_written_out()
    {
        var c = new FftConfig { VocabSize = 5, EmbeddingDim = 3, Width = 2, BlockSize = 4, Layers = 2 };
        long embedding = 5 * 3 + 4 * 3 + 2 * 3 + (3 * 2 + 2);
        long block = 2 * 16 + 2 * (2 * 2) + (2 * 3 + 3) + (3 * 2 + 2);
        long head = 2 * 2 + (2 * 5 + 5);
        Assert.Equal(embedding + 2 * block + head, c.ParameterCount());
    }

    [Fact]
    public void Gpt_count_matches_the_gpt2_small_shape()
    {
        // GPT-2 small is 124,439,808 with V=50257 and the head tied to the token table; ours is untied.
        var c = ModelPresets.GptSmall(50257);
        Assert.Equal(124_439_808 + 50257L * 768, c.ParameterCount());
    }

    [Fact]
    public void Configs_round_trip_through_json_with_their_architecture()
    {
        ModelConfig[] configs = [ModelPresets.PaperLlm(), ModelPresets.TinyGpt(100) with { Dropout = 0.1 }];
        foreach (var config in configs)
        {
            var json = JsonSerializer.Serialize(config, ModelingJson.Options);
            Assert.Contains($"\"architecture\": \"{config.Architecture}\"", json);
            Assert.Equal(config, JsonSerializer.Deserialize<ModelConfig>(json, ModelingJson.Options));
        }
    }

    [Fact]
    public void Invalid_configs_are_rejected_with_a_reason()
    {
        var ex = Assert.Throws<ArgumentException>(() => (ModelPresets.TinyGpt(100) with { Heads = 5 }).Validate());
        Assert.Contains("multiple of Heads", ex.Message);
        Assert.Throws<ArgumentException>(() => ModelPresets.ByName("huge", 10));
    }
}
