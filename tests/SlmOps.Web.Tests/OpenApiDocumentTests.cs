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
}
