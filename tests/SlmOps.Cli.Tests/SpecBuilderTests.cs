using System.Text.Json;
using SlmOps.Cli.Client;

namespace SlmOps.Cli.Tests;

public class SpecBuilderTests
{
    [Fact]
    public void Set_overrides_the_file_nests_dotted_keys_and_keeps_json_types()
    {
        var file = new FileInfo(Path.Combine(Directory.CreateTempSubdirectory("slmops-spec-").FullName, "spec.json"));
        File.WriteAllText(file.FullName, """{"datasetVersionId": 1, "training": {"steps": 10, "device": "cpu"}}""");

        var spec = SpecBuilder.Build(file, ["datasetVersionId=7", "training.steps=200", "training.learningRate=0.003", "preset=tiny-fft", "tags.fast=true"]);

        Assert.Equal(7, spec.GetProperty("datasetVersionId").GetInt64());
        Assert.Equal(200, spec.GetProperty("training").GetProperty("steps").GetInt32());
        Assert.Equal(0.003, spec.GetProperty("training").GetProperty("learningRate").GetDouble());
        Assert.Equal("cpu", spec.GetProperty("training").GetProperty("device").GetString());
        Assert.Equal("tiny-fft", spec.GetProperty("preset").GetString());
        Assert.Equal(JsonValueKind.True, spec.GetProperty("tags").GetProperty("fast").ValueKind);
    }

    [Theory]
    [InlineData("steps")]
    [InlineData("=3")]
    [InlineData("training..steps=3")]
    public void A_malformed_assignment_is_refused_with_the_shape_to_use(string assignment)
    {
        var error = Assert.Throws<ArgumentException>(() => SpecBuilder.Build(null, [assignment]));
        Assert.Contains(assignment, error.Message);
    }
}
