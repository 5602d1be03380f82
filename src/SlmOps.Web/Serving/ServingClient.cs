using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace SlmOps.Web.Serving;

/// <summary>
/// The web host's one way to the serving host: forwarding API calls (with the caller's own key, or this host's key for
/// dashboard sessions) and the playground's generate requests, whole or streamed.
/// </summary>
public sealed class ServingClient(HttpClient http, ServingHostOptions options)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Sends <paramref name="request"/> (built against a relative path) with <paramref name="key"/>, or this host's key.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string? key, HttpCompletionOption completion, CancellationToken ct)
    {
        var baseUrl = BaseUrl();
        request.RequestUri = new Uri(baseUrl, request.RequestUri!);
        if (key is null && request.Headers.Authorization is null && !request.Headers.Contains("X-Api-Key"))
        {
            key = options.Key is { Length: > 0 } own ? own : throw ServingHostUnavailable.NoKey();
        }
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        try
        {
            return await http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException error)
        {
            throw ServingHostUnavailable.Unreachable(baseUrl, error);
        }
    }

    /// <summary>One generate request with this host's key: the answer, or the serving host's problem details.</summary>
    public async Task<ServingAnswer<GenerateResponse>> GenerateAsync(GenerateRequest body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/generate") { Content = JsonContent.Create(body, options: Json) };
        using var response = await SendAsync(request, null, HttpCompletionOption.ResponseContentRead, ct);
        return response.IsSuccessStatusCode
            ? new(await response.Content.ReadFromJsonAsync<GenerateResponse>(Json, ct), null)
            : new(default, await ServingProblem.ReadAsync(response, ct));
    }

    /// <summary>
    /// The same request streamed: each server-sent event as it arrives (<c>token</c> events, then <c>done</c>), or one
    /// <c>problem</c> event when the serving host refused the request.
    /// </summary>
    public async IAsyncEnumerable<ServingEvent> StreamAsync(GenerateRequest body, [EnumeratorCancellation] CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/generate")
        {
            Content = JsonContent.Create(body with { Stream = true }, options: Json),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await SendAsync(request, null, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            yield return new ServingEvent("problem", null, await ServingProblem.ReadAsync(response, ct));
            yield break;
        }
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(stream).EnumerateAsync(ct))
        {
            using var data = JsonDocument.Parse(item.Data);
            yield return new ServingEvent(item.EventType, data.RootElement.Clone(), null);
        }
    }

    private Uri BaseUrl()
    {
        if (string.IsNullOrWhiteSpace(options.Url)) throw ServingHostUnavailable.NotConfigured();
        var url = options.Url.EndsWith('/') ? options.Url : options.Url + "/";
        return Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? uri
            : throw new ServingHostUnavailable($"{ServingHostOptions.Section}:Url must be an absolute URL; it is '{options.Url}'.");
    }
}

/// <summary>A serving answer: the value, or the problem details the serving host answered with.</summary>
public sealed record ServingAnswer<T>(T? Value, ServingProblem? Problem);

/// <summary>One server-sent event of a streamed generation (<see cref="Problem"/> set for a refused request).</summary>
public sealed record ServingEvent(string Name, JsonElement? Data, ServingProblem? Problem);

/// <summary>The problem details of a refused serving request, as the playground shows them.</summary>
public sealed record ServingProblem(int Status, string Title, string Detail, IReadOnlyList<string> Errors)
{
    public static async Task<ServingProblem> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            var errors = root.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(e => e.GetString() ?? "").ToList()
                : [];
            return new ServingProblem(status, Text(root, "title") ?? response.ReasonPhrase ?? "Serving refused the request",
                Text(root, "detail") ?? "", errors);
        }
        catch (JsonException)
        {
            return new ServingProblem(status, response.ReasonPhrase ?? "Serving refused the request", text, []);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
