using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SlmOps.Modeling.Generation;

namespace SlmOps.Serving.Tests;

/// <summary>
/// Issue 12: /api/v1/generate speaks camelCase like every other endpoint; the snake_case request names of the first
/// release (max_tokens, top_k) are still read for one release and answered with a 299 Warning header.
/// </summary>
public sealed class GenerateNamingTests(ServingHost host) : IClassFixture<ServingHost>, IAsyncLifetime
{
    private readonly HttpClient _client = host.CreateClient();
    private long _slm;

    public async Task InitializeAsync()
    {
        (_slm, _) = await host.AddFollowerAsync("naming", seed: 51);
        await host.SetAliasAsync("naming", "production", _slm);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(object body)
    {
        var response = await _client.PostAsJsonAsync("/api/v1/generate", body);
        var text = await response.Content.ReadAsStringAsync();
        return (response, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static IEnumerable<string> Names(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Names(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Names),
        _ => [],
    };

    [Fact]
    public async Task CamelCase_names_are_read_and_the_answer_is_camelCase_without_a_warning()
    {
        var (response, body) = await PostAsync(new { task = "naming", prompt = "hello", maxTokens = 7, temperature = 0.9, topK = 3, seed = 4, compare = true });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Warning"));
        Assert.Equal(7, body.GetProperty("tokens").GetInt32());
        Assert.Equal(host.ExpectedText(_slm, "hello", new GenerationOptions { MaxNewTokens = 7, Temperature = 0.9, TopK = 3, Seed = 4 }),
            body.GetProperty("text").GetString());
        foreach (var name in new[] { "slmVersionId", "baseModelVersion", "baseModel", "tokensPerSecond", "elapsedMs", "slmCache", "llmAlone" })
            Assert.True(body.TryGetProperty(name, out _), $"no {name} in {body}");
        Assert.True(body.GetProperty("llmAlone").TryGetProperty("tokensPerSecond", out _));
        Assert.DoesNotContain(Names(body), n => n.Contains('_'));
    }

    [Fact]
    public async Task The_deprecated_snake_case_names_still_work_and_are_answered_with_a_warning()
    {
        var (camel, camelBody) = await PostAsync(new { task = "naming", prompt = "hello", maxTokens = 6, topK = 2, seed = 9 });
        var (snake, snakeBody) = await PostAsync(new { task = "naming", prompt = "hello", max_tokens = 6, top_k = 2, seed = 9 });

        Assert.Equal(HttpStatusCode.OK, snake.StatusCode);
        Assert.Equal(6, snakeBody.GetProperty("tokens").GetInt32());
        Assert.Equal(camelBody.GetProperty("text").GetString(), snakeBody.GetProperty("text").GetString());
        var warning = Assert.Single(snake.Headers.GetValues("Warning"));
        Assert.StartsWith("299 slmops ", warning);
        Assert.Contains("max_tokens -> maxTokens", warning);
        Assert.Contains("top_k -> topK", warning);
        Assert.False(camel.Headers.Contains("Warning"));
        // The answer is camelCase whichever spelling the request used.
        Assert.DoesNotContain(Names(snakeBody), n => n.Contains('_'));
    }

    [Fact]
    public async Task A_deprecated_name_is_validated_under_its_new_name()
    {
        var (response, body) = await PostAsync(new { task = "naming", prompt = "hello", max_tokens = ServingHost.MaxTokens + 1 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"maxTokens must be between 1 and {ServingHost.MaxTokens}", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Both_spellings_with_different_values_are_400_and_the_same_value_is_accepted()
    {
        var (refused, problem) = await PostAsync(new { task = "naming", prompt = "hello", maxTokens = 5, max_tokens = 6, topK = 1, top_k = 2 });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("maxTokens (5) and its deprecated spelling max_tokens (6) disagree", detail);
        Assert.Contains("topK (1) and its deprecated spelling top_k (2) disagree", detail);

        var (same, body) = await PostAsync(new { task = "naming", prompt = "hello", maxTokens = 5, max_tokens = 5, seed = 1 });
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(5, body.GetProperty("tokens").GetInt32());
    }

    [Fact]
    public async Task Serving_status_is_camelCase()
    {
        await PostAsync(new { task = "naming", prompt = "hello", maxTokens = 2, seed = 1 });

        var status = await _client.GetFromJsonAsync<JsonElement>("/api/v1/serving/status");

        Assert.True(status.GetProperty("slmCache").TryGetProperty("capacityBytes", out _), status.ToString());
        Assert.DoesNotContain(Names(status), n => n.Contains('_'));
    }
}
