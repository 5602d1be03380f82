using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SlmOps.Modeling.Generation;

namespace SlmOps.Serving.Tests;

/// <summary>The OpenAI-compatible surface of the serving host: /v1/completions and /v1/models, with the same API keys.</summary>
public sealed class OpenAiCompletionsTests(ServingHost host) : IClassFixture<ServingHost>, IAsyncLifetime
{
    private long _version;

    public async Task InitializeAsync()
    {
        (_version, _) = await host.AddFollowerAsync("openai-task", seed: 81);
        await host.SetAliasAsync("openai-task", "production", _version);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task A_completion_for_task_at_alias_is_the_composed_models_text_with_usage()
    {
        using var client = host.CreateServingClient();
        var response = await client.PostAsJsonAsync("/v1/completions", new { model = "openai-task@production", prompt = "hello world", max_tokens = 7, temperature = 0.8, seed = 3 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonOf(response);
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        Assert.Equal("openai-task@production", body.GetProperty("model").GetString());
        var choice = body.GetProperty("choices")[0];
        Assert.Equal(host.ExpectedText(_version, "hello world", new GenerationOptions { MaxNewTokens = 7, Temperature = 0.8, Seed = 3 }), choice.GetProperty("text").GetString());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        var usage = body.GetProperty("usage");
        Assert.Equal(7, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + 7, usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task A_base_model_name_serves_the_llm_alone()
    {
        using var client = host.CreateServingClient();
        var response = await client.PostAsJsonAsync("/v1/completions", new { model = "tiny-llm", prompt = new[] { "hello" }, max_tokens = 5, temperature = 0, seed = 1 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = (await JsonOf(response)).GetProperty("choices")[0].GetProperty("text").GetString();
        Assert.Equal(host.ExpectedLlmAloneText("hello", new GenerationOptions { MaxNewTokens = 5, Temperature = 0, Seed = 1 }), text);
    }

    [Fact]
    public async Task Models_lists_each_alias_of_a_follower_and_each_base_model_version()
    {
        using var client = host.CreateServingClient();
        var body = await client.GetFromJsonAsync<JsonElement>("/v1/models");

        var ids = body.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.Contains("openai-task@production", ids);
        Assert.Contains("tiny-llm@1", ids);
    }

    [Theory]
    [InlineData("""{"model":"nothing-here","prompt":"hi"}""", 404, "model", "model_not_found")]
    [InlineData("""{"model":"openai-task","prompt":"hi","n":2}""", 400, "n", null)]
    [InlineData("""{"model":"openai-task","prompt":"hi","max_tokens":0}""", 400, "max_tokens", null)]
    [InlineData("""{"model":"openai-task","prompt":"hi","top_p":1.5}""", 400, "top_p", null)]
    [InlineData("""{"model":"openai-task","prompt":"hi","stop":["\n"]}""", 400, "stop", null)]
    [InlineData("""{"model":"openai-task"}""", 400, "prompt", null)]
    public async Task Refusals_use_openais_error_shape_naming_the_parameter(string body, int status, string param, string? code)
    {
        using var client = host.CreateServingClient();
        var response = await client.PostAsync("/v1/completions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(status, (int)response.StatusCode);
        var error = (await JsonOf(response)).GetProperty("error");
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Without_a_key_the_surface_answers_401()
    {
        using var client = host.Serving.CreateAnonymousClient();
        var response = await client.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>The official openai npm client, unchanged (tests/SlmOps.Serving.Tests/openai-client, pinned in its package.json).</summary>
    [Fact]
    public async Task The_official_openai_client_completes_streams_lists_and_reads_refusals()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "openai-client");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "openai")))
        {
            var (installed, log) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], folder, []);
            Assert.True(installed == 0, $"npm ci in {folder} failed (Node.js 20 and npm are needed; deploy/install.sh installs them):\n{log}");
        }
        var (exit, output) = await RunAsync("node", ["client.mjs"], folder, new()
        {
            ["SLMOPS_BASE_URL"] = host.Serving.Url + "/v1", ["SLMOPS_API_KEY"] = host.AdminKey, ["SLMOPS_MODEL"] = "openai-task@production",
        });
        Assert.True(exit == 0, output);
        var result = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;

        var expected = host.ExpectedText(_version, "hello world", new GenerationOptions { MaxNewTokens = 8, Temperature = 0.8, Seed = 7 });
        Assert.Equal(expected, result.GetProperty("text").GetString());
        Assert.Equal(expected, result.GetProperty("streamed").GetString());
        Assert.True(result.GetProperty("chunks").GetInt32() >= 8);
        Assert.Equal("length", result.GetProperty("streamFinishReason").GetString());
        Assert.Equal(8, result.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Contains("openai-task@production", result.GetProperty("models").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(404, result.GetProperty("refusal").GetProperty("status").GetInt32());
        Assert.Equal("model_not_found", result.GetProperty("refusal").GetProperty("code").GetString());
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, string[] args, string folder, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
