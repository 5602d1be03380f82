using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SlmOps.Cli.Api;

/// <summary>
/// The REST API over HttpClient. Every non-success answer becomes an <see cref="ApiException"/> carrying the
/// server's problem details and the exit code of its class; a refused connection or a timeout becomes exit 6.
/// </summary>
public sealed class SlmOpsApiClient : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _http;

    public SlmOpsApiClient(Uri server, string? apiKey, TimeSpan timeout, HttpMessageHandler? handler = null)
    {
        Server = server;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = server;
        _http.Timeout = timeout;
        if (!string.IsNullOrEmpty(apiKey)) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    public Uri Server { get; }

    public Task<T> GetAsync<T>(string path, CancellationToken ct) => SendAsync<T>(HttpMethod.Get, path, null, ct);

    public Task<T> PostAsync<T>(string path, object? body, CancellationToken ct) =>
        SendAsync<T>(HttpMethod.Post, path, body is null ? null : JsonContent.Create(body, options: Json), ct);

    public Task<T> PutAsync<T>(string path, object? body, CancellationToken ct) =>
        SendAsync<T>(HttpMethod.Put, path, body is null ? null : JsonContent.Create(body, options: Json), ct);

    public async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e)
        {
            throw ApiException.Unreachable(Server, e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw ApiException.Unreachable(Server, new TimeoutException($"No answer within {_http.Timeout.TotalSeconds:0} s.", e));
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(ct);
                throw ApiException.FromProblem(method.Method, "/" + path.TrimStart('/'),
                    ApiProblem.Parse((int)response.StatusCode, response.ReasonPhrase, body));
            }
            if (typeof(T) == typeof(JsonElement) && response.Content.Headers.ContentLength == 0) return default!;
            try
            {
                return (await response.Content.ReadFromJsonAsync<T>(Json, ct))!;
            }
            catch (JsonException e)
            {
                throw new ApiException(ExitCodes.Server,
                    $"{method.Method} /{path.TrimStart('/')} answered {(int)response.StatusCode} with a body this CLI cannot read ({e.Message}). Is {Server} an SlmOps server of a matching version?", null, e);
            }
        }
    }

    public void Dispose() => _http.Dispose();
}
