using System.Text.Json;

namespace SlmOps.Web.Tests.Apis;

public sealed class ApisOpenApiTests
{
    [Fact]
    public async Task Datasets_lineage_and_workers_are_described_with_names_tags_and_the_multipart_upload()
    {
        await using var factory = WebHostFactory.WithNothingListening(out _, out _);
        using var client = factory.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        var upload = paths.GetProperty("/api/v1/datasets").GetProperty("post");
        Assert.Equal("UploadDataset", upload.GetProperty("operationId").GetString());
        Assert.Equal("Datasets", upload.GetProperty("tags")[0].GetString());
        Assert.True(upload.GetProperty("requestBody").GetProperty("content").TryGetProperty("multipart/form-data", out _));
        Assert.True(upload.GetProperty("responses").TryGetProperty("413", out _));
        Assert.Equal("PreviewDatasetVersion",
            paths.GetProperty("/api/v1/datasets/{name}/versions/{version}/preview").GetProperty("get").GetProperty("operationId").GetString());
        Assert.Equal("DeleteDatasetVersion",
            paths.GetProperty("/api/v1/datasets/{name}/versions/{version}").GetProperty("delete").GetProperty("operationId").GetString());
        Assert.Equal("GetLineage", paths.GetProperty("/api/v1/lineage").GetProperty("get").GetProperty("operationId").GetString());
        Assert.Equal("ListWorkers", paths.GetProperty("/api/v1/workers").GetProperty("get").GetProperty("operationId").GetString());
    }

    [Fact]
    public async Task The_artifact_service_is_described_with_its_operations_and_responses()
    {
        await using var factory = WebHostFactory.WithNothingListening(out _, out _);
        using var client = factory.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var artifact = document.RootElement.GetProperty("paths").GetProperty("/api/v1/artifacts/{sha256}");

        Assert.Equal("HeadArtifact", artifact.GetProperty("head").GetProperty("operationId").GetString());
        var get = artifact.GetProperty("get");
        Assert.Equal("GetArtifact", get.GetProperty("operationId").GetString());
        Assert.True(get.GetProperty("responses").GetProperty("206").GetProperty("content").TryGetProperty("application/octet-stream", out _));
        var put = artifact.GetProperty("put");
        Assert.Equal(("PutArtifact", "Artifacts"), (put.GetProperty("operationId").GetString(), put.GetProperty("tags")[0].GetString()));
        Assert.True(put.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/octet-stream", out _));
        foreach (var status in new[] { "200", "201", "400", "409", "413" }) Assert.True(put.GetProperty("responses").TryGetProperty(status, out _), status);
    }
}
