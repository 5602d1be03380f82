using System.Text.Json;
using SlmOps.Cli.Tests.Server;

namespace SlmOps.Cli.Tests;

public sealed class DatasetsCommandTests(CliServerHost server) : IClassFixture<CliServerHost>
{
    private static string TextFile(string content, string name = "corpus.txt")
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("slmops-cli-upload-").FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Upload_prints_the_created_version_as_json_and_list_and_versions_show_it()
    {
        var first = await server.RunAsync("datasets", "upload", "poems", TextFile("roses are red\nviolets are blue\n"), "--description", "two lines", "--json");
        var second = await server.RunAsync("datasets", "upload", "poems", TextFile("sugar is sweet\n"), "--json");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        var v1 = JsonDocument.Parse(first.Stdout).RootElement; // stdout holds only the JSON; the progress bar is on stderr
        Assert.Equal("poems", v1.GetProperty("dataset").GetString());
        Assert.Equal(1, v1.GetProperty("version").GetInt32());
        Assert.Equal(2, v1.GetProperty("rowCount").GetInt64());
        Assert.Equal(2, JsonDocument.Parse(second.Stdout).RootElement.GetProperty("version").GetInt32());
        Assert.Contains("Sent corpus.txt", first.Stderr);

        var list = await server.RunAsync("datasets", "list", "--json");
        var poems = JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().Single(d => d.GetProperty("name").GetString() == "poems");
        Assert.Equal(2, poems.GetProperty("versionCount").GetInt32());
        Assert.Equal("two lines", poems.GetProperty("description").GetString());

        var versions = await server.RunAsync("datasets", "versions", "poems", "--json");
        Assert.Equal([2, 1], JsonDocument.Parse(versions.Stdout).RootElement.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));

        var table = await server.RunAsync("datasets", "versions", "poems");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("corpus.txt", table.Stdout);
    }

    [Fact]
    public async Task A_name_the_server_refuses_exits_5_with_the_servers_reason()
    {
        var result = await server.RunAsync("datasets", "upload", "Not A Valid Name!", TextFile("some text\n"));

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("400", result.Stderr);
        Assert.Contains("The dataset upload was refused", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task A_file_over_the_servers_limit_exits_5_naming_the_limit()
    {
        var result = await server.RunAsync("datasets", "upload", "big", TextFile(new string('a', 70_000) + "\n"));

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("Upload too large", result.Stderr);
        Assert.Contains("65,536", result.Stderr);
    }

    [Fact]
    public async Task A_missing_file_is_a_usage_error_and_sends_nothing()
    {
        var result = await server.RunAsync("datasets", "upload", "ghost", "/nonexistent/corpus.txt");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("File not found", result.Stderr);
        Assert.Equal(0L, await server.ScalarAsync<long>("SELECT count(*) FROM datasets WHERE name = 'ghost'"));
    }

    [Fact]
    public async Task Versions_of_an_unknown_dataset_exits_4_with_the_servers_hint()
    {
        var result = await server.RunAsync("datasets", "versions", "nobody-uploaded-this");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("There is no dataset named 'nobody-uploaded-this'", result.Stderr);
    }
}
