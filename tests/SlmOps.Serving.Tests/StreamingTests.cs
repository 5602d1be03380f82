using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SlmOps.Modeling.Generation;

namespace SlmOps.Serving.Tests;

/// <summary>POST /api/v1/generate with stream=true: server-sent events through the web host, as the playground reads them.</summary>
public sealed class StreamingTests(ServingHost host) : IClassFixture<ServingHost>, IAsyncLifetime
{
    private long _version;

    public async Task InitializeAsync()
    {
        (_version, _) = await host.AddFollowerAsync("streamed", seed: 61);
        await host.SetAliasAsync("streamed", "production", _version);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Event(string Name, JsonElement Data);

    private static async Task<(HttpResponseMessage Response, List<Event> Events)> StreamAsync(HttpClient client, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/generate") { Content = JsonContent.Create(body) };
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var events = new List<Event>();
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream") return (response, events);
        await using var stream = await response.Content.ReadAsStreamAsync();
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(stream).EnumerateAsync())
            events.Add(new Event(item.EventType, JsonDocument.Parse(item.Data).RootElement.Clone()));
        return (response, events);
    }

    private static string Joined(IEnumerable<Event> events, string name) =>
        string.Concat(events.Where(e => e.Name == name).Select(e => e.Data.GetProperty("text").GetString()));

    [Fact]
    public async Task Each_token_is_an_event_and_the_done_event_carries_the_whole_answer_with_usage()
    {
        using var client = host.CreateClient();
        var (response, events) = await StreamAsync(client, new { task = "streamed", prompt = "hello world", maxTokens = 10, seed = 5, stream = true });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tokens = events.Where(e => e.Name == GenerateEvents.Token).ToList();
        Assert.Equal(10, tokens.Count);
        Assert.Equal(Enumerable.Range(0, 10), tokens.Select(t => t.Data.GetProperty("index").GetInt32()));
        var done = Assert.Single(events, e => e.Name == GenerateEvents.Done).Data.Deserialize<GenerateResponse>(ServingHost.Json)!;
        Assert.Equal(GenerateEvents.Done, events[^1].Name);
        Assert.Equal(done.Text, Joined(events, GenerateEvents.Token));
        Assert.Equal(host.ExpectedText(_version, "hello world", new GenerationOptions { MaxNewTokens = 10, Seed = 5 }), done.Text);
        Assert.Equal(10, done.Tokens);
        Assert.True(done.PromptTokens > 0);
    }

    [Fact]
    public async Task With_compare_both_columns_stream_as_separate_named_events()
    {
        using var client = host.CreateClient();
        var (_, events) = await StreamAsync(client, new { task = "streamed", prompt = "hello", maxTokens = 6, seed = 8, stream = true, compare = true });

        var done = events.Single(e => e.Name == GenerateEvents.Done).Data.Deserialize<GenerateResponse>(ServingHost.Json)!;
        Assert.Equal(6, events.Count(e => e.Name == GenerateEvents.Token));
        Assert.Equal(6, events.Count(e => e.Name == GenerateEvents.LlmAloneToken));
        Assert.Equal(done.Text, Joined(events, GenerateEvents.Token));
        Assert.Equal(done.LlmAlone!.Text, Joined(events, GenerateEvents.LlmAloneToken));
        Assert.Equal(host.ExpectedLlmAloneText("hello", new GenerationOptions { MaxNewTokens = 6, Seed = 8 }), done.LlmAlone.Text);
    }

    [Fact]
    public async Task A_refusal_before_the_first_token_is_problem_details_not_a_stream()
    {
        using var client = host.CreateClient();
        var (response, events) = await StreamAsync(client, new { task = "streamed", alias = "canary", prompt = "hello", stream = true });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(events);
        Assert.Contains("canary", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_prompt_longer_than_the_window_is_400_naming_the_window()
    {
        using var client = host.CreateServingClient();
        var prompt = string.Concat(Enumerable.Repeat("the quick brown fox ", 10));
        var response = await client.PostAsJsonAsync("/api/v1/generate", new { task = "streamed", prompt, maxTokens = 2 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(TinyCheckpoints.SlmConfig.BlockSize, problem.GetProperty("window").GetInt32());
        Assert.Contains($"at most {TinyCheckpoints.SlmConfig.BlockSize} tokens", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_client_that_goes_away_leaves_no_sequence_in_the_batch()
    {
        using var client = host.CreateServingClient();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/generate")
        {
            Content = JsonContent.Create(new { task = "streamed", prompt = "hello", maxTokens = ServingHost.MaxTokens, seed = 1, stream = true }),
        })
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var stream = await response.Content.ReadAsStreamAsync();
            var first = new byte[1];
            Assert.Equal(1, await stream.ReadAsync(first)); // the stream has begun; now hang up
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        ServingStatusDto status;
        do status = (await client.GetFromJsonAsync<ServingStatusDto>("/api/v1/serving/status", ServingHost.Json))!;
        while (status.Llms.Any(l => l.Generating + l.Waiting > 0) && DateTime.UtcNow < deadline && await Delay());
        Assert.All(status.Llms, l => Assert.Equal((0, 0), (l.Generating, l.Waiting)));
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(50);
        return true;
    }
}
