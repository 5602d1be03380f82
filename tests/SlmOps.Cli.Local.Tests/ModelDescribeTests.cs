using System.Text.Json;

namespace SlmOps.Cli.Local.Tests;

public class ModelDescribeTests
{
    [Fact]
    public void Describe_prints_the_exact_parameter_count_of_the_paper_llm()
    {
        var (code, output) = CliHarness.Run("model", "describe", "--preset", "paper-llm");
        Assert.Equal(0, code);
        Assert.Contains("36,297,036", output);
        Assert.Contains("forward FLOPs per token", output);
    }

    [Fact]
    public void Describe_json_has_parameters_and_flops()
    {
        var (code, output) = CliHarness.Run("model", "describe", "--preset", "paper-llm", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(36_297_036, doc.RootElement.GetProperty("parameters").GetInt64());
        Assert.True(doc.RootElement.GetProperty("forwardFlopsPerToken").GetInt64() > 0);
        Assert.Equal("fft", doc.RootElement.GetProperty("architecture").GetString());
    }

    [Fact]
    public void An_unknown_preset_exits_non_zero_naming_the_known_ones()
    {
        var (code, output) = CliHarness.Run("model", "describe", "--preset", "nope");
        Assert.NotEqual(0, code);
        Assert.Contains("Unknown model preset 'nope'", output);
        Assert.Contains("paper-llm", output);
    }
}
