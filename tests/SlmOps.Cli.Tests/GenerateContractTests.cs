using System.Text.Json;
using SlmOps.Cli.Api;
using SlmOps.Cli.Client;
using Served = SlmOps.Contracts.Serving;

namespace SlmOps.Cli.Tests;

/// <summary>
/// The CLI's generate request and answer (the served contract's own types) under the CLI's serializer options against the
/// server's web defaults: camelCase both ways, no deprecated names written.
/// </summary>
public class GenerateContractTests
{
    [Fact]
    public void The_cli_sends_camelCase_names_the_server_reads_without_a_deprecation()
    {
        var json = JsonSerializer.Serialize(new Served.GenerateRequest
        {
            Task = "poems", Alias = "staging", Prompt = "hello", MaxTokens = 12, Temperature = 0.5, TopK = 4, Seed = 7, Compare = true,
        }, SlmOpsApiClient.Json);

        Assert.Contains("\"maxTokens\":12", json);
        Assert.Contains("\"topK\":4", json);
        Assert.DoesNotContain("_", json);
        var read = JsonSerializer.Deserialize<Served.GenerateRequest>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal((12, 4, 7UL, true), (read.MaxTokens, read.TopK, read.Seed, read.Compare));
        Assert.Empty(read.DeprecatedNamesUsed());
    }

    [Fact]
    public void The_cli_reads_the_servers_camelCase_answer()
    {
        var answer = new Served.GenerateResponse("poems", 3, "production", 12, 4, "paper@1", "text", 32, 41.5, 812.5, 7, "hit",
            new Served.LlmAloneResult("alone", 32, 55.0));
        var json = JsonSerializer.SerializeToElement(answer, new JsonSerializerOptions(JsonSerializerDefaults.Web));

        var read = Format.Read<Served.GenerateResponse>(json);

        Assert.Equal(("paper@1", 41.5, 812.5, "hit"), (read.BaseModel, read.TokensPerSecond, read.ElapsedMs, read.SlmCache));
        Assert.Equal(("alone", 55.0), (read.LlmAlone!.Text, read.LlmAlone.TokensPerSecond));
    }
}
