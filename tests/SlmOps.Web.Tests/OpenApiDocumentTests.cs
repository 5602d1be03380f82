using System.Net;
using System.Text.Json;

namespace SlmOps.Web.Tests;

public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task OpenApi_document_is_json_declaring_an_openapi_3_version()
    {
        // The document is generated from endpoint metadata alone; no dependency needs to be up.
        await using var factory = WebHostFactory.WithNothingListening(out _, out _);
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/openapi/v1.json");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("3.", document.RootElement.GetProperty("openapi").GetString());
        Assert.Equal(JsonValueKind.Object, document.RootElement.GetProperty("paths").ValueKind);
    }

    [Fact]
    public async Task OpenApi_document_describes_the_api_keys_and_the_role_each_operation_needs()
    {
        await using var factory = WebHostFactory.WithNothingListening(out _, out _);
        using var client = factory.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;

        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("apiKey", schemes.GetProperty("ApiKey").GetProperty("type").GetString());
        Assert.Equal("header", schemes.GetProperty("ApiKey").GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("ApiKey").GetProperty("name").GetString());
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());

        var submit = root.GetProperty("paths").GetProperty("/api/v1/runs/pretrain").GetProperty("post");
        var requirements = submit.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).ToList();
        Assert.Equal(["ApiKey", "Bearer"], requirements);
        Assert.Contains("role editor or higher", submit.GetProperty("description").GetString());
        var promote = root.GetProperty("paths").GetProperty("/api/v1/task-models/{task}/aliases/{alias}").GetProperty("put");
        Assert.Contains("role promoter or higher", promote.GetProperty("description").GetString());
        var list = root.GetProperty("paths").GetProperty("/api/v1/runs").GetProperty("get");
        Assert.Contains("role viewer or higher", list.GetProperty("description").GetString());
        var upload = root.GetProperty("paths").GetProperty("/api/v1/artifacts/{sha256}").GetProperty("put");
        Assert.Contains("role editor or higher, or a worker key", upload.GetProperty("description").GetString());
    }
}
